// The home page (my cases, live removal countdowns, high-severity flags) and the rules page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';
import { aiIncident, tdIncident } from '../api/lib/server.mjs';
import { file, heading, hoursAgo, assertFits } from './lib/ui.mjs';

const seeded = {};
const env = setup({}, async () => {
	seeded.td = await file(env.server, 'ivy', tdIncident({
		title: 'Deepfake images of a city councillor on two sites',
		take_it_down: {
			...tdIncident().take_it_down,
			platforms: [
				{ name: 'Late Host', url: 'https://late.example.org/p/1', removal_requested_at: hoursAgo(49) },
				{ name: 'Fresh Host', removal_requested_at: hoursAgo(30) },
			],
		},
	}));
	seeded.ai = await file(env.server, 'ivy', aiIncident());
});

test('home: my cases, overdue removal marked, a countdown that runs, recent high-severity flags', async () => {
	const page = await newPage();
	await loginAs(page, 'ivy');
	await heading(page, 'Home');
	const deadlines = page.getByRole('region', { name: /^Take It Down removal deadlines/ });
	await deadlines.getByText('1 overdue').waitFor();
	await deadlines.getByRole('row').filter({ hasText: 'Late Host' }).getByText(/^Overdue by 1 h/).waitFor();
	const late = deadlines.getByRole('row').filter({ hasText: 'Late Host' }).locator('.countdown');
	const fresh = deadlines.getByRole('row').filter({ hasText: 'Fresh Host' }).locator('.countdown');
	assert.match(await fresh.innerText(), /^17 h 59 min \d\d s left$|^18 h 00 min 00 s left$/);
	// the countdown is live: a second later both texts have moved on
	const before = [await late.innerText(), await fresh.innerText()];
	await page.waitForTimeout(1200);
	assert.notEqual(await late.innerText(), before[0]);
	assert.notEqual(await fresh.innerText(), before[1]);
	const mine = page.getByRole('region', { name: /^My cases/ });
	await mine.getByRole('link', { name: seeded.td.case.ref }).waitFor();
	await mine.getByRole('link', { name: seeded.ai.case.ref }).waitFor();
	const flags = page.getByRole('region', { name: 'Recent high-severity flags' });
	await flags.getByText('ai.authz.continued-access').waitFor();
	await screenshot(page, 'home');
	assertClean(page);
	await page.context().close();
});

test('home on a phone fits the window', async () => {
	const page = await newPage({ phone: true });
	await loginAs(page, 'ivy');
	await heading(page, 'Home');
	await assertFits(page);
	await screenshot(page, 'home-phone');
	assertClean(page);
	await page.context().close();
});

test('rules: every rule in force with severity and hits, filterable; hits lead to a search', async () => {
	const page = await newPage();
	await loginAs(page, 'sam');
	await page.getByRole('link', { name: 'Rules', exact: true }).click();
	await heading(page, 'Rules in force');
	const table = page.getByRole('table', { name: /^\d+ of \d+ rules$/ });
	const name = await table.getAttribute('aria-label') ?? (await table.locator('caption').innerText());
	const [, shown, all] = name.match(/^(\d+) of (\d+) rules$/).map(Number);
	assert.equal(shown, all);
	assert.ok(all >= 50, `${all} rules in force`);
	await page.getByLabel('Filter rules').fill('ai.cred.stuffing');
	await page.getByRole('table', { name: `1 of ${all} rules` }).waitFor();
	const row = page.getByRole('row').filter({ hasText: 'ai.cred.stuffing' });
	await row.getByText('Medium').waitFor();
	await row.getByRole('link', { name: /^\d+$/ }).click();
	await heading(page, 'Search');
	assert.equal(await page.getByRole('searchbox', { name: 'Search query' }).inputValue(), 'flag:ai.cred.stuffing');
	await page.getByRole('main').getByText(/^1 result/).waitFor();
	await page.goto('/#/rules');
	await heading(page, 'Rules in force');
	await screenshot(page, 'rules');
	assertClean(page);
	await page.context().close();
});

test('an unknown page says so and leads home', async () => {
	const page = await newPage();
	await loginAs(page, 'ian');
	await page.goto('/#/nowhere');
	await heading(page, 'Not found');
	await page.getByRole('link', { name: 'Back to the home page' }).click();
	await heading(page, 'Home');
	assertClean(page);
	await page.context().close();
});
