// case.js — one case: summary (status and assignee for prosecutors), incidents, deadlines, flags,
// indicators, related cases with a picture, evidence, manifests and custody, notes; prints clean.

import { api, ApiError } from './api.js';
import { h, replace, table, badge, time, empty, label, announce } from './dom.js';
import { deadlineTable, every } from './deadlines.js';
import { linkList, linkGraph, typeName, quoteValue } from './links.js';
import { evidenceSection, manifestSection } from './evidence.js';
import { field, showError, clearErrors } from './form.js';

const STATUSES = ['open', 'investigating', 'charged', 'closed'];

let stopTimer = null;	// the countdown of the case on the page (a re-render replaces it)

function money(v) {
	return `$${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function summary(c) {
	const dl = h('dl', { class: 'summary' });
	const row = (k, v) => dl.append(h('dt', null, k), h('dd', null, v));
	row('Status', badge(c.status, 'status-'));
	row('Kind', label(c.kind));
	row('Sensitivity', c.sensitivity === 'restricted' ? [badge('restricted', 'sens-'), ' minor victim: filer, assignee and supervisors only'] : 'Normal');
	row('Assignee', c.assignee ?? 'Nobody');
	row('Opened', [time(c.created_at), ` by ${c.created_by}`]);
	row('Last update', time(c.updated_at));
	row('Evidence', `${c.evidence_count} items`);
	if (c.loss) {
		row('Loss', [money(c.loss.total_usd), ' in total; ', money(c.loss.max_365d_usd), ' within one year ',
			c.loss.threshold_met ? h('span', { class: 'badge met' }, `meets the CFAA ${money(c.loss.threshold_usd)} threshold`)
				: h('span', { class: 'badge unmet' }, `under the CFAA ${money(c.loss.threshold_usd)} threshold`)]);
	}
	return dl;
}

async function manageForm(c, onSaved) {
	let users = [];
	try {
		users = (await api('GET', '/api/users')).users;
	} catch (e) {
		// without the list the assignee stays as it is; a 401 goes to the router (log-in page)
		if (!(e instanceof ApiError) || e.status === 401) throw e;
	}
	const status = field({ name: 'status', label: 'Status', input: 'select', options: STATUSES.map((s) => [s, label(s)]) });
	const assignee = field({ name: 'assignee', label: 'Assignee', input: 'select', options: [['', 'Nobody'], ...users.filter((u) => u.role !== 'investigator' || u.username === c.assignee).map((u) => [u.username, `${u.username} (${u.role})`])] });
	status.input.value = c.status;
	assignee.input.value = c.assignee ?? '';
	const form = h('form', { class: 'manage no-print', 'aria-labelledby': 'h-manage', dataset: { failed: 'The case was not saved' } },
		h('h3', { id: 'h-manage' }, 'Change the case'),
		h('div', { class: 'error-summary', role: 'alert', hidden: true }),
		h('div', { class: 'grid' }, status.row, assignee.row),
		h('button', { type: 'submit', class: 'primary' }, 'Save changes'));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(form);
		try {
			const updated = await api('PATCH', `/api/cases/${c.ref}`, { json: { status: status.input.value, assignee: assignee.input.value || null } });
			announce(`Case ${c.ref} saved: ${label(updated.status)}, assignee ${updated.assignee ?? 'nobody'}`);
			onSaved(updated);
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			if (e.status === 401) return;	// the log-in page has taken over
			showError(form, e);
		}
	});
	return form;
}

function notesSection(c, user, onAdded) {
	const list = c.notes.length ? h('ol', { class: 'notes' }, c.notes.map((n) => h('li', null,
		h('p', { class: 'meta' }, h('strong', null, n.author), ' ', time(n.created_at)),
		h('p', { class: 'note-text' }, n.text)))) : empty('No notes yet.');
	let form = null;
	if (user.role !== 'investigator') {
		const text = field({ name: 'text', label: 'New note', input: 'textarea', rows: 3, required: true, wide: true, attrs: { maxlength: 20000 } });
		form = h('form', { class: 'no-print', dataset: { failed: 'The note was not added' } }, h('div', { class: 'error-summary', role: 'alert', hidden: true }), text.row, h('button', { type: 'submit' }, 'Add note'));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearErrors(form);
			try {
				await api('POST', `/api/cases/${c.ref}/notes`, { json: { text: text.input.value } });
				announce('Note added');
				onAdded();
			} catch (e) {
				if (!(e instanceof ApiError)) throw e;
			if (e.status === 401) return;	// the log-in page has taken over
				showError(form, e);
			}
		});
	}
	return h('section', { class: 'card', id: 'notes', 'aria-labelledby': 'h-notes' }, h('h2', { id: 'h-notes' }, `Notes (${c.notes.length})`), list, form);
}

function flagsTable(c) {
	if (!c.flags.length) return empty('No rule has flagged this case.');
	return table('Flags', ['Severity', 'Rule', 'Found in', 'Field', 'Excerpt', 'Matches'], c.flags.map((f) => [
		badge(f.severity, 'sev-'), h('code', null, f.rule),
		f.doc_type === 'incident' ? h('a', { href: `#/incidents/${f.doc_id}` }, `Incident ${f.doc_id}`) : `${label(f.doc_type)} ${f.doc_id}`,
		f.field, h('span', { class: 'excerpt' }, f.excerpt), [String(f.count), f.limit ? h('span', { class: 'badge unmet', title: 'A PCRE2 limit was hit here' }, 'limit') : null]]), { hideCaption: true });
}

function indicatorsTable(c) {
	if (!c.indicators.length) return empty('No indicators.');
	return table('Indicators', ['Type', 'Value', 'Incidents'], c.indicators.map((i) => [
		typeName(i.type), h('a', { href: `#/search?q=${encodeURIComponent(`indicator:${quoteValue(i.value)}`)}`, class: 'ind-value' }, i.value), String(i.mentions)]), { hideCaption: true });
}

export async function render(ctx) {
	const { main, params, query, user, title } = ctx;
	const ref = params[0];
	const c = await api('GET', `/api/cases/${ref}`);
	title(`${c.ref} ${c.title}`);
	const section = (id, heading, ...body) => h('section', { class: 'card', id, 'aria-labelledby': `h-${id}` }, h('h2', { id: `h-${id}` }, heading), ...body);
	const deadlines = deadlineTable(c.deadlines, { caption: 'Removal deadlines' });
	const ev = evidenceSection(c.ref, c.evidence_count, query.get('evidence'));
	const printBtn = h('button', { type: 'button', class: 'no-print' }, 'Print summary');
	printBtn.addEventListener('click', () => window.print());
	const manage = user.role !== 'investigator' ? await manageForm(c, () => render(ctx)) : null;
	replace(main,
		h('div', { class: 'page-head' },
			h('div', null, h('p', { class: 'eyebrow' }, c.ref), h('h1', null, c.title)),
			h('div', { class: 'actions no-print' },
				h('a', { class: 'button', href: `#/file?kind=${c.kind}&case=${c.ref}` }, 'File an incident here'),
				printBtn)),
		h('nav', { class: 'toc no-print', 'aria-label': 'Sections of the case' }, h('ul', null,
			[['summary', 'Summary'], ['incidents', 'Incidents'], c.kind === 'take_it_down' ? ['deadlines', 'Deadlines'] : null, ['flags', 'Flags'], ['indicators', 'Indicators'], ['related', 'Related cases'], ['evidence', 'Evidence'], ['notes', 'Notes']]
				.filter(Boolean).map(([id, t]) => h('li', null, h('a', { href: `#/cases/${c.ref}?section=${id}`, dataset: { section: id } }, t))))),
		section('summary', 'Summary', summary(c), manage),
		section('incidents', `Incidents (${c.incidents.length})`, table('Incidents', ['Incident', 'Title', 'Occurred', 'Filed', 'By'], c.incidents.map((i) => [
			h('a', { href: `#/incidents/${i.id}` }, `Incident ${i.id}`), i.title, time(i.occurred_at), time(i.filed_at), i.filed_by]), { hideCaption: true })),
		c.kind === 'take_it_down' ? section('deadlines', 'Removal deadlines', deadlines.node) : null,
		section('flags', `Flags (${c.flags.length})`, flagsTable(c)),
		section('indicators', `Indicators (${c.indicators.length})`, indicatorsTable(c)),
		section('related', `Related cases (${c.links.length})`, c.links.length ? h('div', { class: 'related' }, linkGraph(c.ref, c.links), linkList(c.links)) : linkList(c.links)),
		ev.section,
		manifestSection(c),
		notesSection(c, user, () => render(ctx).then(() => document.getElementById('h-notes')?.focus())),
		h('p', { class: 'print-only' }, `Printed from aimcase by ${user.username} (${user.role}) on ${new Date().toUTCString()}.`,
			c.sensitivity === 'restricted' ? ' RESTRICTED: the victim is a minor. Do not disclose.' : ' Law enforcement sensitive.'));
	await ev.load();
	const target = query.get('section') ?? (query.get('evidence') ? 'evidence' : null);
	for (const a of main.querySelectorAll('nav.toc a')) {
		a.addEventListener('click', (e) => {
			e.preventDefault();
			const s = document.getElementById(a.dataset.section);
			s.scrollIntoView();
			s.querySelector('h2').setAttribute('tabindex', '-1');
			s.querySelector('h2').focus();
		});
	}
	if (target && document.getElementById(target)) {
		setTimeout(() => {
			const s = document.getElementById(target);
			s.scrollIntoView();
			s.querySelector('h2').setAttribute('tabindex', '-1');
			s.querySelector('h2').focus();
		}, 0);
	}
	if (stopTimer) stopTimer();
	stopTimer = every(1000, deadlines.tick);
	return () => { if (stopTimer) stopTimer(); stopTimer = null; };
}
