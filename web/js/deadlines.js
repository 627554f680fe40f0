// deadlines.js — Take It Down removal deadlines (48 hours after a valid request) with a live
// countdown.  Used by the home page (all visible cases) and the case page (one case).

import { h, time, duration, table, empty } from './dom.js';

function remaining(d, now) {
	if (d.removed_at) {
		return d.overdue
			? h('span', { class: 'overdue' }, `Removed ${duration(Date.parse(d.removed_at) - Date.parse(d.due_at))} late`)
			: h('span', { class: 'ok' }, 'Removed in time');
	}
	const left = Date.parse(d.due_at) - now;
	if (left <= 0) return h('span', { class: 'overdue' }, `Overdue by ${duration(left)}`);
	return h('span', { class: left < 6 * 3600e3 ? 'soon' : 'pending' }, `${duration(left)} left`);
}

/**
 * A table of deadlines and a tick() that refreshes the countdowns; showCase adds the case column.
 * Returns {node, tick}.
 */
export function deadlineTable(deadlines, { showCase = false, caption = 'Removal deadlines' } = {}) {
	if (!deadlines.length) return { node: empty('No removal requests are waiting.'), tick() {} };
	const cells = [];
	const rows = deadlines.map((d) => {
		const cell = h('span', { class: 'countdown', dataset: { due: d.due_at } });
		cells.push({ cell, d });
		const platform = d.url
			? h('a', { href: d.url, rel: 'noreferrer noopener', target: '_blank' }, d.platform)
			: d.platform;
		const row = [platform, time(d.requested_at), time(d.due_at), cell];
		if (showCase) row.unshift(h('a', { href: `#/cases/${d.case_ref}` }, d.case_ref), d.case_title ?? '');
		return row;
	});
	const headers = ['Platform', 'Requested', 'Due', 'Status'];
	if (showCase) headers.unshift('Case', 'Title');
	const node = table(caption, headers, rows, { class: 'deadlines', hideCaption: true });
	const tick = () => {
		const now = Date.now();
		for (const { cell, d } of cells) {
			cell.replaceChildren(remaining(d, now));
			const tr = cell.closest('tr');
			if (tr) tr.classList.toggle('is-overdue', !d.removed_at && Date.parse(d.due_at) <= now || d.overdue);
		}
	};
	tick();
	return { node, tick };
}

/** Starts a one-second timer calling tick; returns the function that stops it. */
export function every(ms, fn) {
	const id = setInterval(fn, ms);
	return () => clearInterval(id);
}
