// evidence.js — a case's evidence as a paged, filterable table, and its manifests with the chain
// of custody.

import { api } from './api.js';
import { h, replace, table, time, bytes, empty } from './dom.js';

const LIMIT = 25;

function digest(item) {
	const v = item.sha256 ?? item.sha1 ?? item.md5;
	if (!v) return '—';
	const kind = item.sha256 ? 'SHA-256' : item.sha1 ? 'SHA-1' : 'MD5';
	return h('code', { class: 'hash', title: `${kind} ${v}` }, `${v.slice(0, 16)}…`);
}

/** The evidence section of case ref; filter is the initial path filter. */
export function evidenceSection(ref, count, filter) {
	const input = h('input', { id: 'ev-filter', type: 'search', value: filter ?? '', spellcheck: 'false', autocomplete: 'off' });
	const body = h('div', { class: 'ev-body', 'aria-live': 'polite' });
	const form = h('form', { class: 'inline-form', role: 'search', 'aria-label': 'Filter evidence' },
		h('label', { for: 'ev-filter' }, 'Filter by path'), input,
		h('button', { type: 'submit' }, 'Filter'));
	let offset = 0;
	const load = async () => {
		const q = input.value.trim();
		const data = await api('GET', `/api/cases/${ref}/evidence`, { query: { q, limit: LIMIT, offset } });
		const last = Math.min(offset + LIMIT, data.total);
		const prev = h('button', { type: 'button', disabled: offset === 0 }, 'Previous page');
		const next = h('button', { type: 'button', disabled: last >= data.total }, 'Next page');
		// the pager is drawn again: keep the keyboard focus on the button just used (or the other
		// one when that end is reached)
		const refocus = (label) => {
			const buttons = [...body.querySelectorAll('.pager button')];
			(buttons.find((b) => b.textContent === label && !b.disabled) ?? buttons.find((b) => !b.disabled))?.focus();
		};
		prev.addEventListener('click', () => { offset = Math.max(0, offset - LIMIT); load().then(() => refocus('Previous page')); });
		next.addEventListener('click', () => { offset += LIMIT; load().then(() => refocus('Next page')); });
		replace(body,
			data.items.length ? table(`Evidence items ${offset + 1}–${last} of ${data.total}`, ['Path', 'Size', 'Allocated', 'Modified', 'Digest', 'Manifest'],
				data.items.map((it) => [
					h('span', { class: 'path' }, it.path, it.sanitised ? h('span', { class: 'badge sanitised', title: 'Bytes that are not text are written \\xNN' }, 'sanitised') : null),
					bytes(it.size), it.alloc === null || it.alloc === undefined ? '—' : it.alloc ? 'yes' : 'no',
					time(it.mtime), digest(it), String(it.manifest)]), { class: 'evidence' })
				: empty(q ? `No evidence path contains “${q}”.` : 'No evidence imported yet.'),
			data.total > LIMIT ? h('nav', { class: 'pager', 'aria-label': 'Evidence pages' }, prev, h('span', null, `${offset + 1}–${last} of ${data.total}`), next) : null);
	};
	form.addEventListener('submit', (ev) => { ev.preventDefault(); offset = 0; load(); });
	const section = h('section', { class: 'card', id: 'evidence', 'aria-labelledby': 'h-evidence' },
		h('h2', { id: 'h-evidence' }, `Evidence (${count} items)`),
		h('p', null, h('a', { href: `#/import?case=${ref}`, class: 'button' }, 'Import a manifest')),
		form, body);
	return { section, load };
}

/** Imported manifests (with a link to each original) and the chain-of-custody events. */
export function manifestSection(c) {
	return h('section', { class: 'card', id: 'manifests', 'aria-labelledby': 'h-manifests' },
		h('h2', { id: 'h-manifests' }, `Manifests and custody (${c.manifests.length})`),
		c.manifests.length ? table('Imported manifests', ['Manifest', 'Tool', 'Image', 'Items', 'Size', 'Imported', 'SHA-256'],
			c.manifests.map((m) => [
				h('a', { href: `/api/manifests/${m.id}/original`, download: `manifest-${m.id}.xml` }, `Original ${m.id}`),
				[m.program ?? '—', m.version ? ` ${m.version}` : ''], m.image_filename ?? '—',
				String(m.items), bytes(m.size), [time(m.imported_at), ` by ${m.imported_by}`],
				h('code', { class: 'hash', title: m.sha256 }, `${m.sha256.slice(0, 16)}…`)])) : empty('No manifest imported.'),
		c.custody.length ? table('Chain of custody', ['When', 'Who', 'Action', 'Manifest', 'Detail'],
			c.custody.map((e) => [time(e.at), e.actor, e.action, e.manifest ? String(e.manifest) : '—', e.detail ?? ''])) : null);
}
