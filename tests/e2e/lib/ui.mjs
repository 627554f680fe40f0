// Helpers the flow tests share: seeding data through the API, reading what a field's error says,
// and checking a page fits its window.

import assert from 'node:assert/strict';

/** Chromium logs each 4xx reply a page receives; a flow that expects one passes this to allow. */
export function replied(status) {
	return new RegExp(`^console\\.error: Failed to load resource: the server responded with a status of ${status} `);
}

/** Files an incident through the API as user name; returns the 201 reply's JSON. */
export async function file(server, name, body) {
	const client = await server.login(name);
	const res = await client.post('/api/incidents', body);
	assert.equal(res.status, 201, `seeding ${body.title}: ${res.text}`);
	return res.json;
}

/** An RFC 3339 time `hours` before now, to the second. */
export function hoursAgo(hours) {
	return new Date(Date.now() - hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The text of the error shown for a field: the last element named by its aria-describedby. */
export async function fieldError(locator) {
	return locator.evaluate((el) => {
		const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
		const last = ids.length ? document.getElementById(ids[ids.length - 1]) : null;
		return last ? last.textContent : null;
	});
}

/** Fails when the page is wider than its window (a phone must never scroll sideways). */
export async function assertFits(page) {
	const { scroll, width } = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		width: window.innerWidth,
	}));
	assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
}

/** Waits until the main heading (h1) has the text (a string or RegExp). */
export async function heading(page, text) {
	await page.getByRole('heading', { level: 1, name: text }).waitFor();
}
