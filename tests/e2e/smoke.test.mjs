// Smoke: the web UI loads under its Content-Security-Policy without errors; log-in works.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_PROBE_401, assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';

const env = setup();

const FAVICON_ICO_404 =
	/^console\.error: Failed to load resource: the server responded with a status of 404 .*\(at http:\/\/127\.0\.0\.1:\d+\/favicon\.ico\)$/;

test('/ loads clean, under a CSP without unsafe-inline, with a main landmark and an h1', async () => {
	const page = await newPage();
	const res = await page.goto('/', { waitUntil: 'load' });
	assert.ok(res, 'no response for /');
	assert.equal(res.status(), 200);
	assert.equal(page.url(), `${env.base}/`);

	const csp = res.headers()['content-security-policy'];
	assert.ok(csp, 'no Content-Security-Policy header on /');
	assert.match(csp, /(^|;)\s*default-src 'none'/, `CSP: ${csp}`);
	assert.match(csp, /(^|;)\s*script-src 'self'\s*(;|$)/, `CSP: ${csp}`);
	assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, `CSP: ${csp}`);

	// the page settles (scripts fetch what they need) before it is judged
	await page.waitForLoadState('networkidle');
	assert.equal(await page.getByRole('main').count(), 1, 'one <main> landmark');
	await page.locator('h1').first().waitFor({ state: 'visible' });
	assert.ok((await page.locator('h1').first().innerText()).trim().length > 0, 'the h1 has text');

	await screenshot(page, 'smoke-home');
	// A UI that asks GET /api/session who is signed in gets 401 here, and Chromium logs that.
	// The placeholder index.html names no icon, so Chromium asks for /favicon.ico and logs its
	// 404: allowed until web/ declares an icon (<link rel="icon">), then to be removed.
	assertClean(page, { allow: [SESSION_PROBE_401, FAVICON_ICO_404] });
	await page.context().close();
});

test('log in as ivy: the header shows the user and a Log out button', { skip: !process.env.E2E_LOGIN }, async () => {
	const page = await newPage();
	await loginAs(page, 'ivy');
	await screenshot(page, 'smoke-signed-in-ivy');
	assertClean(page, { allow: [SESSION_PROBE_401] });
	await page.context().close();
});
