// Smoke: the web UI loads under its Content-Security-Policy without errors; log-in and log-out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';
import { replied, heading, assertFits } from './lib/ui.mjs';

const env = setup();

test('/ loads clean, under a CSP without unsafe-inline, with a main landmark and the log-in form', async () => {
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

	await page.waitForLoadState('networkidle');
	assert.equal(await page.getByRole('main').count(), 1, 'one <main> landmark');
	await heading(page, 'Log in to aimcase');
	// a first visit does not probe the session (no 401 in the console)
	await page.getByLabel('Username', { exact: true }).waitFor();
	await screenshot(page, 'login');
	assertClean(page);
	await page.context().close();
});

test('a wrong password is refused with a clear message and no sign-in', async () => {
	const page = await newPage();
	await page.goto('/');
	await page.getByLabel('Username', { exact: true }).fill('ivy');
	await page.getByLabel('Password', { exact: true }).fill('not-her-password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.getByRole('alert').filter({ hasText: 'The username or password is not right.' }).waitFor();
	assert.equal(await page.getByRole('button', { name: 'Log out' }).isVisible(), false);
	assertClean(page, { allow: [replied(401)] });
	await page.context().close();
});

test('log in shows the user and role; log out revokes the session and shows the log-in form', async () => {
	const page = await newPage();
	await loginAs(page, 'ivy');
	await heading(page, 'Home');
	await screenshot(page, 'home-empty-ivy');
	// the session survives a reload
	await page.reload();
	await page.getByText('ivy (investigator)', { exact: true }).waitFor();
	await page.getByRole('button', { name: 'Log out' }).click();
	await heading(page, 'Log in to aimcase');
	// the cookie is no longer a session: the API refuses it
	const status = await page.evaluate(async () => (await fetch('/api/session')).status);
	assert.equal(status, 401);
	assertClean(page, { allow: [replied(401)] });
	await page.context().close();
});

test('the log-in page fits a phone', async () => {
	const page = await newPage({ phone: true });
	await page.goto('/');
	await heading(page, 'Log in to aimcase');
	await assertFits(page);
	await screenshot(page, 'login-phone');
	assertClean(page);
	await page.context().close();
});
