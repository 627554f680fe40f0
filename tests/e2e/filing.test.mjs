// Filing incidents from the browser: both kinds, field errors next to their field, the draft
// kept, and what the filer sees afterwards (case reference, flags, related cases).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { USERS, assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';
import { aiIncident, tdIncident } from '../api/lib/server.mjs';
import { file, fieldError, heading, hoursAgo, replied, assertFits } from './lib/ui.mjs';

const env = setup();

test('AI intrusion: an invalid IP is shown on its line, the draft survives a reload, then the filing shows flags and the related case', async () => {
	// ivy's earlier case shares the address 203.0.113.7: the new report must link to it
	const earlier = await file(env.server, 'ivy', aiIncident());
	const page = await newPage();
	await loginAs(page, 'ivy');
	await page.getByRole('link', { name: 'File an incident' }).first().click();
	await heading(page, 'File an incident');
	await page.getByLabel(/^AI intrusion/).check();
	await page.getByLabel('Title', { exact: true }).fill('GPTBot-driven scraping of the permit database');
	await page.getByLabel('Narrative', { exact: true }).fill(
		'The county permit portal logged 41,000 requests in an hour from 203.0.113.7 with the user agent\n' +
		'"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"\n' +
		'after robots.txt and the terms of use forbade it; the agent read applicants\' home addresses.');
	await page.getByLabel('Target system', { exact: true }).fill('permits.example-county.gov');
	await page.getByLabel('Access vector', { exact: true }).selectOption('scraping');
	await page.getByLabel('Loss (USD)', { exact: true }).fill('6200');
	const ips = page.getByLabel('IP addresses', { exact: true });
	await ips.fill('203.0.113.7\n203.0.113.999');
	await page.getByRole('button', { name: 'File incident' }).click();

	await page.getByRole('alert').filter({ hasText: 'The report was not filed' }).waitFor();
	assert.equal(await ips.getAttribute('aria-invalid'), 'true');
	assert.match(await fieldError(ips), /^Line 2: /);
	assert.equal(await ips.evaluate((el) => el === document.activeElement), true, 'the field in error has the focus');
	await screenshot(page, 'file-ai-error');

	// nothing typed is lost: a reload brings the draft back
	await page.reload();
	await heading(page, 'File an incident');
	assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'GPTBot-driven scraping of the permit database');
	assert.equal(await page.getByLabel('Access vector', { exact: true }).inputValue(), 'scraping');
	assert.equal(await page.getByLabel('IP addresses', { exact: true }).inputValue(), '203.0.113.7\n203.0.113.999');

	await page.getByLabel('IP addresses', { exact: true }).fill('203.0.113.7\n198.51.100.44');
	await page.getByRole('button', { name: 'File incident' }).click();
	await heading(page, 'Incident filed');
	const filed = page.getByRole('heading', { level: 2, name: /is in case AIM-\d{4}-\d{5}/ });
	const ref = (await filed.innerText()).match(/AIM-\d{4}-\d{5}/)[0];
	assert.notEqual(ref, earlier.case.ref, 'a new case was opened');
	const flags = page.getByRole('region', { name: /^Flags raised/ });
	await flags.getByText('ai.ua.openai').first().waitFor();
	const related = page.getByRole('region', { name: /^Related cases/ });
	await related.getByRole('link', { name: earlier.case.ref }).waitFor();
	await related.getByRole('link', { name: '203.0.113.7' }).waitFor();
	await screenshot(page, 'file-ai-filed');

	// the draft is gone once filed
	await page.getByRole('link', { name: 'File an incident' }).first().click();
	await heading(page, 'File an incident');
	assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), '');

	// and the server has it, as typed
	const paula = await env.server.login('sam');
	const c = (await paula.get(`/api/cases/${ref}`)).json;
	assert.equal(c.title, 'GPTBot-driven scraping of the permit database');
	assert.deepEqual(c.indicators.filter((i) => i.type === 'ip').map((i) => i.value).sort(), ['198.51.100.44', '203.0.113.7']);
	assert.equal(c.loss.total_usd, 6200);
	assertClean(page, { allow: [replied(400)] });
	await page.context().close();
});

test('Take It Down into an existing case: platforms as rows, one removed, the deadline counted from the request', async () => {
	const first = await file(env.server, 'ivy', tdIncident({ title: 'Forged images of a nurse posted on a forum' }));
	const page = await newPage();
	await loginAs(page, 'ivy');
	await page.goto('/#/file');
	await heading(page, 'File an incident');
	await page.getByLabel(/^Take It Down/).check();
	await page.getByLabel('Add to an existing case').check();
	await page.getByLabel('Existing case', { exact: true }).selectOption(first.case.ref);
	await page.getByLabel('Title', { exact: true }).fill('The same images re-posted on a video site');
	await page.getByLabel('Narrative', { exact: true }).fill('The victim found the forged images again on a video site and a chat channel on 2026-11-21.');
	await page.getByRole('group', { name: 'Is the person depicted a minor?' }).getByLabel('No').check();
	await page.getByLabel('Depiction', { exact: true }).selectOption('digital_forgery');
	for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Add a platform' }).click();
	const p1 = page.getByRole('group', { name: 'Platform 1' });
	const p2 = page.getByRole('group', { name: 'Platform 2' });
	await p1.getByLabel('Platform name').fill('Chat channel (to be removed)');
	await p2.getByLabel('Platform name').fill('VideoSite Example');
	await p2.getByLabel('URL of the content').fill('https://video.example.com/watch/8812');
	const requested = hoursAgo(50);
	await p2.getByLabel('Removal requested at').fill(requested.slice(0, 16));	// the browser runs in UTC
	await page.getByRole('button', { name: 'Remove platform 1' }).click();
	assert.equal(await page.getByRole('group', { name: /^Platform \d/ }).count(), 1);
	await page.getByLabel('Content hashes (SHA-256, one per line)').fill('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
	await screenshot(page, 'file-td-form');
	await page.getByRole('button', { name: 'File incident' }).click();
	await heading(page, 'Incident filed');
	await page.getByRole('heading', { level: 2, name: `is in case ${first.case.ref}` }).or(page.getByRole('heading', { level: 2, name: new RegExp(`in case ${first.case.ref}`) })).waitFor();
	await page.getByRole('link', { name: 'Open the case' }).click();
	await heading(page, first.tc?.title ?? 'Forged images of a nurse posted on a forum');
	const deadlines = page.getByRole('region', { name: 'Removal deadlines' });
	const row = deadlines.getByRole('row').filter({ hasText: 'VideoSite Example' });
	await row.getByText(/^Overdue by 2 h/).waitFor();
	assert.equal(await deadlines.getByRole('row').filter({ hasText: 'Chat channel' }).count(), 0);
	await screenshot(page, 'case-td-deadlines');
	assertClean(page);
	await page.context().close();
});

test('the form on a phone: no sideways scrolling', async () => {
	const page = await newPage({ phone: true });
	await loginAs(page, 'ian');
	await page.goto('/#/file?kind=take_it_down');
	await heading(page, 'File an incident');
	await page.getByRole('button', { name: 'Add a platform' }).click();
	await assertFits(page);
	await screenshot(page, 'file-td-phone');
	assertClean(page);
	await page.context().close();
});

test('a session that ends while typing: log in again and the draft is there, then it files', async () => {
	const page = await newPage();
	await loginAs(page, 'ian');
	await page.goto('/#/file?kind=ai_intrusion');
	await heading(page, 'File an incident');
	await page.getByLabel('Title', { exact: true }).fill('Prompt-injected support bot leaked refund records');
	await page.getByLabel('Narrative', { exact: true }).fill('A crafted ticket made the support agent export 900 refund records to an outside address.');
	await page.getByLabel('Target system', { exact: true }).fill('support.example-shop.com');
	await page.getByLabel('Access vector', { exact: true }).selectOption('prompt_injection');
	// the session ends (as after 30 idle minutes): the server no longer knows the cookie
	await page.context().clearCookies();
	await page.getByRole('button', { name: 'File incident' }).click();
	await heading(page, 'Log in to aimcase');
	await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
	await page.getByLabel('Username', { exact: true }).fill('ian');
	await page.getByLabel('Password', { exact: true }).fill(USERS.ian.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await heading(page, 'File an incident');
	assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Prompt-injected support bot leaked refund records');
	assert.equal(await page.getByLabel('Access vector', { exact: true }).inputValue(), 'prompt_injection');
	await page.getByRole('button', { name: 'File incident' }).click();
	await heading(page, 'Incident filed');
	assertClean(page, { allow: [replied(401)] });
	await page.context().close();
});
