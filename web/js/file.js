// file.js — filing an incident: one guided form per kind, every field of POST /api/incidents.
//
// What is typed is kept as a draft in sessionStorage (per user) on every change, so an error, a
// reload or a visit to another page loses nothing; the draft goes when the report is filed or the
// user logs out.  The API's field errors are shown next to their field.

import { api, ApiError } from './api.js';
import { h, replace, table, badge, announce } from './dom.js';
import { field, radios, lines, toRfc3339, clearErrors, showError, draft } from './form.js';
import { linkList, typeName } from './links.js';

const VECTORS = [
	['', 'Choose…'], ['credential_stuffing', 'Credential stuffing'], ['api_abuse', 'API abuse'],
	['prompt_injection', 'Prompt injection'], ['vulnerability_exploitation', 'Vulnerability exploitation'],
	['scraping', 'Scraping'], ['stolen_credentials', 'Stolen credentials'],
	['misconfiguration', 'Misconfiguration'], ['other', 'Other'], ['unknown', 'Unknown'],
];
const DEPICTIONS = [['', 'Choose…'], ['digital_forgery', 'Digital forgery (AI-generated or altered)'], ['authentic', 'Authentic image'], ['unknown', 'Unknown']];

function platformRow(list, onchange) {
	const row = h('fieldset', { class: 'platform' });
	const name = field({ name: 'take_it_down.platforms[].name', label: 'Platform name', required: true, attrs: { maxlength: 200 } });
	const url = field({ name: 'take_it_down.platforms[].url', label: 'URL of the content', type: 'url', attrs: { maxlength: 2048, placeholder: 'https://' } });
	const req = field({ name: 'take_it_down.platforms[].removal_requested_at', label: 'Removal requested at', type: 'datetime-local' });
	const rem = field({ name: 'take_it_down.platforms[].removed_at', label: 'Removed at', type: 'datetime-local' });
	const legend = h('legend');
	const remove = h('button', { type: 'button', class: 'quiet' }, 'Remove this platform');
	remove.addEventListener('click', () => { row.remove(); renumber(list); onchange(); });
	row.append(legend, h('div', { class: 'grid' }, name.row, url.row, req.row, rem.row), remove);
	list.append(row);
	renumber(list);
	return { row, name: name.input };
}

function renumber(list) {
	[...list.children].forEach((row, i) => {
		row.querySelector('legend').textContent = `Platform ${i + 1}`;
		row.querySelector('button').setAttribute('aria-label', `Remove platform ${i + 1}`);
		for (const el of row.querySelectorAll('[data-field]'))
			el.dataset.field = el.dataset.field.replace(/platforms\[\d*\]/, `platforms[${i}]`);
	});
}

function buildBody(f, kind, caseMode) {
	const v = (name) => f.querySelector(`[data-field="${name}"]`)?.value ?? '';
	const body = { kind, title: v('title'), narrative: v('narrative') };
	const occurred = toRfc3339(v('occurred_at'));
	if (occurred) body.occurred_at = occurred;
	if (caseMode === 'existing') body.case_ref = v('case_ref');
	if (kind === 'ai_intrusion') {
		const ai = { target_system: v('ai_intrusion.target_system'), access_vector: v('ai_intrusion.access_vector') };
		for (const k of ['target_owner', 'agent', 'model', 'data_accessed']) if (v(`ai_intrusion.${k}`).trim()) ai[k] = v(`ai_intrusion.${k}`);
		const loss = v('ai_intrusion.loss_usd').trim().replace(/[$,]/g, '');
		if (loss) ai.loss_usd = /^\d+(\.\d+)?$/.test(loss) ? Number(loss) : loss;
		const ind = {};
		for (const k of ['ips', 'user_agents', 'accounts', 'domains']) {
			const l = lines(v(`ai_intrusion.indicators.${k}`));
			if (l.length) ind[k] = l;
		}
		if (Object.keys(ind).length) ai.indicators = ind;
		body.ai_intrusion = ai;
	} else {
		const minor = f.querySelector('input[name="victim_minor"]:checked')?.value;
		const td = { victim_minor: minor === 'yes' ? true : minor === 'no' ? false : null, depiction: v('take_it_down.depiction'), threat_only: f.querySelector('[data-field="take_it_down.threat_only"]').checked };
		const platforms = [...f.querySelectorAll('fieldset.platform')].map((row) => {
			const g = (k) => row.querySelector(`[data-field$="].${k}"]`).value;
			const p = { name: g('name') };
			if (g('url').trim()) p.url = g('url').trim();
			p.removal_requested_at = toRfc3339(g('removal_requested_at'));
			p.removed_at = toRfc3339(g('removed_at'));
			return p;
		});
		if (platforms.length) td.platforms = platforms;
		const hashes = lines(v('take_it_down.content_hashes'));
		if (hashes.length) td.content_hashes = hashes;
		body.take_it_down = td;
	}
	return body;
}

function result(main, reply, kind) {
	const flags = reply.flags ?? [];
	replace(main,
		h('h1', null, 'Incident filed'),
		h('section', { class: 'card success', 'aria-labelledby': 'h-filed' },
			h('h2', { id: 'h-filed' }, 'Incident ', String(reply.id), ' is in case ',
				h('a', { href: `#/cases/${reply.case.ref}` }, reply.case.ref)),
			h('p', { class: 'actions' },
				h('a', { class: 'button primary', href: `#/cases/${reply.case.ref}` }, 'Open the case'),
				h('a', { class: 'button', href: `#/file?kind=${kind}&case=${reply.case.ref}` }, 'File another incident into this case'),
				h('a', { class: 'button', href: `#/import?case=${reply.case.ref}` }, 'Import an evidence manifest'))),
		h('section', { class: 'card', 'aria-labelledby': 'h-flags' },
			h('h2', { id: 'h-flags' }, `Flags raised (${flags.length})`),
			flags.length ? table('Flags raised', ['Severity', 'Rule', 'Field', 'Excerpt'], flags.map((fl) => [
				badge(fl.severity, 'sev-'), h('code', null, fl.rule), fl.field, h('span', { class: 'excerpt' }, fl.excerpt)]), { hideCaption: true })
				: h('p', { class: 'empty' }, 'No rule matched this report.')),
		h('section', { class: 'card', 'aria-labelledby': 'h-related' },
			h('h2', { id: 'h-related' }, `Related cases (${reply.links.length})`),
			linkList(reply.links)),
		h('section', { class: 'card', 'aria-labelledby': 'h-ind' },
			h('h2', { id: 'h-ind' }, `Indicators (${reply.indicators.length})`),
			reply.indicators.length ? h('ul', { class: 'indicators' }, reply.indicators.map((i) => h('li', null, h('span', { class: 'ind-type' }, typeName(i.type)), ' ', h('code', null, i.value))))
				: h('p', { class: 'empty' }, 'No indicators.')));
	announce(`Incident ${reply.id} filed in case ${reply.case.ref}, ${flags.length} flags, ${reply.links.length} related cases`);
}

export async function render({ main, query, user, title }) {
	title('File an incident');
	const cases = await api('GET', '/api/cases', { query: { limit: 200 } });
	const form = h('form', { class: 'incident-form', novalidate: true, dataset: { failed: 'The report was not filed' } });
	const store = draft(form, `aimcase.draft.incident.${user.username}`);
	const saved = store.load();
	const kind = radios({ legend: 'Kind of incident', name: 'kind', required: true, value: query.get('kind') ?? saved?.values?.['radio:kind'] ?? 'ai_intrusion', options: [
		['ai_intrusion', 'AI intrusion — an AI agent broke into a system or pulled data out (18 U.S.C. 1030)'],
		['take_it_down', 'Take It Down — non-consensual intimate images, digital forgeries included (47 U.S.C. 223(h))']] });
	const mode = radios({ legend: 'Case', name: 'case_mode', value: query.get('case') ? 'existing' : 'new', options: [['new', 'Open a new case'], ['existing', 'Add to an existing case']] });
	const caseSel = field({ name: 'case_ref', label: 'Existing case', input: 'select', options: [] });
	const common = [
		field({ name: 'title', label: 'Title', required: true, wide: true, attrs: { maxlength: 300 }, hint: 'One line a colleague will recognise in a list.' }),
		field({ name: 'occurred_at', label: 'When it happened', type: 'datetime-local', hint: 'Your local time; leave empty if unknown.' }),
		field({ name: 'narrative', label: 'Narrative', input: 'textarea', rows: 8, required: true, wide: true, hint: 'What happened, in your words. Keys, IPs, accounts and hashes in the text are found by the rules.' }),
	];
	const ai = h('fieldset', { class: 'kind-block', dataset: { kind: 'ai_intrusion', field: 'ai_intrusion' } },
		h('legend', null, 'AI intrusion (Computer Fraud and Abuse Act)'),
		h('div', { class: 'grid' },
			field({ name: 'ai_intrusion.target_system', label: 'Target system', required: true, attrs: { maxlength: 500 } }).row,
			field({ name: 'ai_intrusion.target_owner', label: 'Owner of the target', attrs: { maxlength: 500 } }).row,
			field({ name: 'ai_intrusion.access_vector', label: 'Access vector', input: 'select', required: true, options: VECTORS }).row,
			field({ name: 'ai_intrusion.loss_usd', label: 'Loss (USD)', attrs: { inputmode: 'decimal', placeholder: '0.00' }, hint: 'CFAA felony threshold: $5,000 within one year.' }).row,
			field({ name: 'ai_intrusion.agent', label: 'AI agent or tool', attrs: { maxlength: 500 } }).row,
			field({ name: 'ai_intrusion.model', label: 'Model', attrs: { maxlength: 500 } }).row,
			field({ name: 'ai_intrusion.data_accessed', label: 'Data accessed', input: 'textarea', rows: 3, wide: true, attrs: { maxlength: 2000 } }).row),
		h('fieldset', { class: 'indicators-block' }, h('legend', null, 'Indicators (one per line)'),
			h('div', { class: 'grid' },
				field({ name: 'ai_intrusion.indicators.ips', label: 'IP addresses', input: 'textarea', rows: 3, attrs: { spellcheck: 'false' } }).row,
				field({ name: 'ai_intrusion.indicators.user_agents', label: 'User agents', input: 'textarea', rows: 3, attrs: { spellcheck: 'false' } }).row,
				field({ name: 'ai_intrusion.indicators.accounts', label: 'Accounts', input: 'textarea', rows: 3, attrs: { spellcheck: 'false' } }).row,
				field({ name: 'ai_intrusion.indicators.domains', label: 'Domains', input: 'textarea', rows: 3, attrs: { spellcheck: 'false' } }).row)));
	const minor = radios({ legend: 'Is the person depicted a minor?', name: 'take_it_down.victim_minor', group: 'victim_minor', required: true, options: [['no', 'No'], ['yes', 'Yes — the case will be restricted']] });
	const platforms = h('div', { class: 'platform-list' });
	const addPlatform = h('button', { type: 'button' }, 'Add a platform');
	const threat = h('input', { type: 'checkbox', id: 'f-threat', name: 'take_it_down.threat_only', dataset: { field: 'take_it_down.threat_only' } });
	const td = h('fieldset', { class: 'kind-block', dataset: { kind: 'take_it_down', field: 'take_it_down' } },
		h('legend', null, 'Take It Down (non-consensual intimate images)'),
		minor.row,
		h('div', { class: 'grid' },
			field({ name: 'take_it_down.depiction', label: 'Depiction', input: 'select', required: true, options: DEPICTIONS }).row,
			h('div', { class: 'field check' }, threat, h('label', { for: 'f-threat' }, 'Threat to publish only (nothing published yet)'))),
		h('fieldset', { class: 'platforms', dataset: { field: 'take_it_down.platforms' } }, h('legend', null, 'Platforms'),
			h('p', { class: 'hint' }, 'Where the content appeared. A removal request starts the 48-hour clock.'),
			platforms, addPlatform),
		field({ name: 'take_it_down.content_hashes', label: 'Content hashes (SHA-256, one per line)', input: 'textarea', rows: 3, wide: true, attrs: { spellcheck: 'false' } }).row);
	const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
	const submit = h('button', { type: 'submit', class: 'primary' }, 'File incident');
	const discard = h('button', { type: 'button', class: 'quiet' }, 'Clear the form');
	form.append(summary, kind.row,
		h('div', { class: 'case-choice' }, mode.row, caseSel.row),
		h('div', { class: 'grid' }, common.map((c) => c.row)), ai, td,
		h('div', { class: 'actions' }, submit, discard));

	const fillCases = () => {
		const k = kind.value();
		const opts = cases.cases.filter((c) => c.kind === k);
		const prev = caseSel.input.value;
		caseSel.input.replaceChildren(...(opts.length ? opts.map((c) => h('option', { value: c.ref }, `${c.ref} — ${c.title}`)) : [h('option', { value: '' }, 'No case of this kind')]));
		if (opts.some((c) => c.ref === prev)) caseSel.input.value = prev;
	};
	const sync = () => {
		const k = kind.value();
		ai.hidden = k !== 'ai_intrusion';
		td.hidden = k !== 'take_it_down';
		ai.disabled = ai.hidden;
		td.disabled = td.hidden;
		fillCases();
		caseSel.row.hidden = mode.value() !== 'existing';
		caseSel.input.disabled = caseSel.row.hidden;
	};
	const save = () => store.save({ platforms: platforms.children.length });
	addPlatform.addEventListener('click', () => { platformRow(platforms, save).name.focus(); save(); });
	form.addEventListener('change', (e) => { if (e.target.name === 'kind' || e.target.name === 'case_mode') sync(); save(); });
	form.addEventListener('input', save);
	discard.addEventListener('click', () => {
		store.clear();
		form.reset();
		platforms.replaceChildren();
		clearErrors(form);
		sync();
		form.querySelector('input[name="kind"]:checked')?.focus();
		announce('Form cleared');
	});

	sync();
	if (saved) {
		for (let i = 0; i < (saved.extra?.platforms ?? 0); i++) platformRow(platforms, save);
		store.apply(saved);
		if (query.get('kind')) kind.inputs.forEach((i) => { i.checked = i.value === query.get('kind'); });
		sync();
		store.apply(saved);
	}
	if (query.get('case')) {
		mode.inputs.forEach((i) => { i.checked = i.value === 'existing'; });
		sync();
		caseSel.input.value = query.get('case');
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(form);
		submit.disabled = true;
		const k = kind.value();
		try {
			const reply = await api('POST', '/api/incidents', { json: buildBody(form, k, mode.value()) });
			store.clear();
			result(main, reply, k);
			main.querySelector('h1').focus();
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			if (e.status === 401) return;	// the log-in page has taken over
			if (!showError(form, e)) summary.focus();
			announce(`Not filed: ${e.message}`);
		} finally {
			submit.disabled = false;
		}
	});

	replace(main,
		h('div', { class: 'page-head' }, h('h1', null, 'File an incident')),
		h('p', { class: 'lede' }, 'Fields marked * are required. What you type is kept as a draft in this tab until the report is filed.'),
		form);
}
