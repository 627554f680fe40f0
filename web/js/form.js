// form.js — labelled fields, the API's field errors shown next to their field, and drafts.
//
// Every input carries data-field = its path in the API body ("ai_intrusion.indicators.ips"), so an
// error {"field": "ai_intrusion.indicators.ips[2]"} finds its input: the exact path first, then the
// path without its last index (a list typed one value per line).

import { h } from './dom.js';

let uid = 0;

/**
 * A labelled field: field({label, name: 'title', input: 'input'|'textarea'|'select', required,
 * hint, type, options: [[value, text]], attrs}) → {row, input}.
 */
export function field(spec) {
	const id = spec.id ?? `f-${spec.name.replace(/[^a-z0-9]+/gi, '-')}-${++uid}`;
	const attrs = { id, name: spec.name, dataset: { field: spec.name }, required: spec.required ?? false, ...(spec.attrs ?? {}) };
	let input;
	if (spec.input === 'textarea') input = h('textarea', { rows: spec.rows ?? 4, ...attrs });
	else if (spec.input === 'select') {
		input = h('select', attrs, (spec.options ?? []).map(([v, t]) => h('option', { value: v }, t)));
	} else input = h('input', { type: spec.type ?? 'text', ...attrs });
	const hintId = `${id}-hint`;
	const errId = `${id}-error`;
	const describedBy = [spec.hint ? hintId : null, errId].filter(Boolean).join(' ');
	input.setAttribute('aria-describedby', describedBy);
	const row = h('div', { class: `field${spec.wide ? ' wide' : ''}` },
		// the asterisk stays out of the label: the input's `required` says it to screen readers
		h('div', { class: 'label-row' }, h('label', { for: id }, spec.label), spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
		input,
		spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
		h('p', { class: 'field-error', id: errId }));
	return { row, input };
}

/** A fieldset of radio buttons: radios({legend, name, options: [[value, text]], value}). */
export function radios(spec) {
	const inputs = [];
	const errId = `r-${spec.name.replace(/[^a-z0-9]+/gi, '-')}-${++uid}-error`;
	const set = h('fieldset', { class: 'radios', dataset: { field: spec.name }, 'aria-describedby': errId },
		h('legend', null, spec.legend, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
		spec.options.map(([v, t]) => {
			const id = `r-${++uid}`;
			const input = h('input', { type: 'radio', id, name: spec.group ?? spec.name, value: v, checked: spec.value === v, required: spec.required ?? false });
			inputs.push(input);
			return h('div', { class: 'radio' }, input, h('label', { for: id }, t));
		}),
		h('p', { class: 'field-error', id: errId }));
	return { row: set, inputs, value: () => inputs.find((i) => i.checked)?.value ?? null };
}

/** Lines of a textarea, trimmed, without empty ones. */
export function lines(text) {
	return text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
}

/** A datetime-local value as an RFC 3339 time in UTC, or null when empty. */
export function toRfc3339(v) {
	if (!v) return null;
	const d = new Date(v);
	return Number.isNaN(d.getTime()) ? v : d.toISOString().replace(/\.000Z$/, 'Z');
}

/** An RFC 3339 time as a datetime-local value in the browser's zone. */
export function toLocalInput(t) {
	if (!t) return '';
	const d = new Date(t);
	if (Number.isNaN(d.getTime())) return '';
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Removes every error shown in form. */
export function clearErrors(form) {
	for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	const summary = form.querySelector('.error-summary');
	if (summary) { summary.hidden = true; summary.replaceChildren(); }
}

function findField(form, path) {
	if (!path) return null;
	const esc = (p) => (window.CSS && CSS.escape ? CSS.escape(p) : p.replace(/["\\]/g, '\\$&'));
	let el = form.querySelector(`[data-field="${esc(path)}"]`);
	if (!el) {
		const base = path.replace(/\[\d+\]$/, '');
		el = form.querySelector(`[data-field="${esc(base)}"]`);
	}
	return el;
}

function fieldName(el) {
	if (el.tagName === 'FIELDSET') return el.querySelector('legend')?.textContent.replace(/ \*$/, '') ?? null;
	const l = el.id ? el.ownerDocument.querySelector(`label[for="${el.id}"]`) : null;
	return l ? l.textContent : null;
}

/**
 * Shows an ApiError in form: next to its field (focused) and in the summary at the top.
 * A list entry ("…ips[2]") is named by its line.  Returns true when a field was found.
 */
export function showError(form, err) {
	clearErrors(form);
	const el = findField(form, err.field);
	// the server's message starts with the field's path: next to the field, its label says it
	let msg = err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
	const idx = /\[(\d+)\]$/.exec(err.field ?? '');
	if (el && idx && el.tagName === 'TEXTAREA') msg = `Line ${Number(idx[1]) + 1}: ${msg}`;
	const name = el ? fieldName(el) : null;
	const summary = form.querySelector('.error-summary');
	if (summary) {
		summary.hidden = false;
		summary.replaceChildren(h('h2', null, form.dataset.failed ?? 'Not saved'), h('p', null, name ? `${name}: ${msg}` : msg));
	}
	if (!el) return false;
	const errEl = document.getElementById((el.getAttribute('aria-describedby') ?? '').split(' ').pop());
	if (errEl) errEl.textContent = msg;
	const focusable = el.tagName === 'FIELDSET' ? el.querySelector('input') : el;
	if (el.tagName !== 'FIELDSET') el.setAttribute('aria-invalid', 'true');
	focusable?.focus();
	return true;
}

/** Saves and restores every named control of a form in sessionStorage under key. */
export function draft(form, key) {
	return {
		save(extra = {}) {
			const values = {};
			for (const el of form.elements) {
				if (!el.name || el.type === 'file' || el.type === 'submit' || el.type === 'button') continue;
				const k = el.dataset.field ?? el.name;
				if (el.type === 'radio') { if (el.checked) values[`radio:${el.name}`] = el.value; } else if (el.type === 'checkbox') values[k] = el.checked;
				else values[k] = el.value;
			}
			try { sessionStorage.setItem(key, JSON.stringify({ values, extra })); } catch { /* storage full or off: the form still holds it */ }
		},
		load() {
			try { return JSON.parse(sessionStorage.getItem(key) ?? 'null'); } catch { return null; }
		},
		apply(saved) {
			if (!saved) return;
			for (const el of form.elements) {
				if (!el.name) continue;
				if (el.type === 'radio') { el.checked = saved.values[`radio:${el.name}`] === el.value; continue; }
				const k = el.dataset.field ?? el.name;
				if (!(k in saved.values)) continue;
				if (el.type === 'checkbox') el.checked = Boolean(saved.values[k]);
				else el.value = saved.values[k];
			}
		},
		clear() { try { sessionStorage.removeItem(key); } catch { /* nothing to clear */ } },
	};
}
