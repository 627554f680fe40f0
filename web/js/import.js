// import.js — upload an evidence manifest (DFXML) to a case, with a progress bar, then the summary.

import { upload, ApiError, api } from './api.js';
import { h, replace, bytes, announce } from './dom.js';
import { field, clearErrors, showError } from './form.js';

function summary(ref, reply) {
	const m = reply.manifest;
	return h('section', { class: 'card success', 'aria-labelledby': 'h-imported', tabindex: '-1' },
		h('h2', { id: 'h-imported' }, reply.already_imported ? 'Already imported: nothing was added' : 'Manifest imported'),
		h('dl', { class: 'summary' },
			h('dt', null, 'Case'), h('dd', null, h('a', { href: `#/cases/${ref}?section=evidence` }, ref)),
			h('dt', null, 'Evidence items'), h('dd', null, String(m.items)),
			h('dt', null, 'Names kept with \\xNN'), h('dd', null, String(m.sanitised)),
			h('dt', null, 'Size'), h('dd', null, bytes(m.size)),
			h('dt', null, 'Flags raised'), h('dd', null, String(reply.flags)),
			h('dt', null, 'Hash matches with other cases'), h('dd', null, String(reply.hash_matches)),
			h('dt', null, 'SHA-256 of the upload'), h('dd', null, h('code', { class: 'hash' }, m.sha256))),
		h('p', null, h('a', { class: 'button primary', href: `#/cases/${ref}?section=evidence` }, 'See the evidence')));
}

export async function render({ main, query, title }) {
	title('Import a manifest');
	const cases = await api('GET', '/api/cases', { query: { limit: 200 } });
	const caseSel = field({ name: 'case_ref', label: 'Case', input: 'select', required: true, options: cases.cases.map((c) => [c.ref, `${c.ref} — ${c.title}`]) });
	if (query.get('case')) caseSel.input.value = query.get('case');
	const fileIn = field({ name: 'manifest', label: 'Manifest file (DFXML from fiwalk, hashdeep -d, md5deep -d, PhotoRec)', type: 'file', required: true, attrs: { accept: '.xml,application/xml,text/xml' } });
	const progress = h('progress', { max: '100', value: '0', id: 'upload-progress', 'aria-label': 'Upload progress' });
	const progressText = h('span', { id: 'upload-progress-text' });
	const progressRow = h('div', { class: 'progress', hidden: true }, h('label', { for: 'upload-progress' }, 'Upload'), progress, progressText);
	const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload and import');
	const out = h('div', { class: 'import-result' });
	const form = h('form', { class: 'card', dataset: { failed: 'The manifest was not imported' } },
		h('div', { class: 'error-summary', role: 'alert', hidden: true }),
		caseSel.row, fileIn.row, progressRow, submit);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(form);
		out.replaceChildren();
		const ref = caseSel.input.value;
		const file = fileIn.input.files?.[0];
		if (!ref) { showError(form, { field: 'case_ref', message: 'Choose a case.' }); return; }
		if (!file) { showError(form, { field: 'manifest', message: 'Choose a manifest file.' }); return; }
		submit.disabled = true;
		progressRow.hidden = false;
		progress.value = 0;
		progressText.textContent = `0 of ${bytes(file.size)}`;
		try {
			const reply = await upload(`/api/cases/${ref}/manifests`, file, 'application/xml', (sent, total) => {
				progress.value = total ? Math.round((100 * sent) / total) : 0;
				progressText.textContent = sent >= total ? `${bytes(total)} sent, importing…` : `${bytes(sent)} of ${bytes(total)}`;
			});
			progress.value = 100;
			progressText.textContent = 'Done';
			out.replaceChildren(summary(ref, reply.json));
			out.firstChild.focus();
			announce(`Imported ${reply.json.manifest.items} evidence items into ${ref}`);
		} catch (e) {
			progressRow.hidden = true;
			if (!(e instanceof ApiError)) throw e;
			if (e.status === 401) return;	// the log-in page has taken over
			showError(form, { ...e, message: e.message, field: e.field ?? 'manifest' });
		} finally {
			submit.disabled = false;
		}
	});
	replace(main,
		h('h1', null, 'Import an evidence manifest'),
		h('p', { class: 'lede' }, 'The manifest is kept exactly as uploaded; each file in it becomes an evidence item of the case. Importing the same file into the same case again adds nothing.'),
		cases.cases.length ? form : h('p', { class: 'empty' }, 'You have no case yet. File an incident first.'),
		out);
}
