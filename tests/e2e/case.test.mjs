// The case page: a prosecutor changes status and assignee and adds a note; the evidence table
// pages and filters; the print stylesheet; and an investigator cannot reach another's case.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';
import { REPO, aiIncident, tdIncident } from '../api/lib/server.mjs';
import { file, heading, assertFits, hoursAgo } from './lib/ui.mjs';

const seeded = {};
const env = setup({}, async () => {
	seeded.ai = await file(env.server, 'ivy', aiIncident());
	seeded.related = await file(env.server, 'ivy', aiIncident({
		title: 'Same botnet address probing the county payroll API',
		narrative: 'Payroll API saw token-guessing from 203.0.113.7 on 2026-11-02.',
		ai_intrusion: { ...aiIncident().ai_intrusion, target_system: 'payroll.example-county.gov', indicators: { ips: ['203.0.113.7'] } },
	}));
	seeded.restricted = await file(env.server, 'ivy', tdIncident({
		title: 'Forged images of a 15-year-old shared in a school group chat',
		take_it_down: { ...tdIncident().take_it_down, victim_minor: true, platforms: [{ name: 'ChatApp Example', removal_requested_at: hoursAgo(3) }] },
	}));
	seeded.ians = await file(env.server, 'ian', aiIncident({ title: 'Ian\'s intrusion case' }));
	// evidence: the fiwalk manifest of the fixtures (29 files) in ivy's first case
	const ivy = await env.server.login('ivy');
	const xml = fs.readFileSync(path.join(REPO, 'fixtures', 'manifests', 'fiwalk-ext4.xml'));
	const res = await ivy.request('POST', `/api/cases/${seeded.ai.case.ref}/manifests`, { body: xml, headers: { 'content-type': 'application/xml' } });
	assert.equal(res.status, 201, res.text);
	seeded.items = res.json.manifest.items;
});

test('a prosecutor changes the status and the assignee and adds a note', async () => {
	const ref = seeded.ai.case.ref;
	const page = await newPage();
	await loginAs(page, 'paula');
	await page.goto(`/#/cases/${ref}`);
	await heading(page, 'Agent scraped patient portal after credential stuffing');
	const summary = page.getByRole('region', { name: 'Summary' });
	await summary.getByLabel('Status').selectOption('charged');
	await summary.getByLabel('Assignee').selectOption('pat');
	await summary.getByRole('button', { name: 'Save changes' }).click();
	await summary.getByText('Charged', { exact: true }).first().waitFor();
	await summary.locator('dd').filter({ hasText: /^pat$/ }).waitFor();

	const notes = page.getByRole('region', { name: /^Notes/ });
	await notes.getByLabel('New note').fill('Grand jury subpoena served on the hosting provider for 203.0.113.7.');
	await notes.getByRole('button', { name: 'Add note' }).click();
	await page.getByRole('region', { name: 'Notes (1)' }).getByText('Grand jury subpoena served').waitFor();
	await screenshot(page, 'case-prosecutor');

	const sam = await env.server.login('sam');
	const c = (await sam.get(`/api/cases/${ref}`)).json;
	assert.equal(c.status, 'charged');
	assert.equal(c.assignee, 'pat');
	assert.equal(c.notes.length, 1);
	assertClean(page);
	await page.context().close();
});

test('an investigator sees no case controls; the case shows its links, a picture of them, and its evidence in pages', async () => {
	const page = await newPage();
	await loginAs(page, 'ivy');
	await page.goto(`/#/cases/${seeded.ai.case.ref}`);
	await heading(page, 'Agent scraped patient portal after credential stuffing');
	assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0);
	assert.equal(await page.getByLabel('New note').count(), 0);
	const related = page.getByRole('region', { name: /^Related cases/ });
	await related.getByRole('group', { name: /and its related cases/ }).getByRole('link').first().waitFor();
	await related.getByRole('link', { name: seeded.related.case.ref }).first().waitFor();

	const ev = page.getByRole('region', { name: /^Evidence/ });
	await ev.getByRole('table', { name: `Evidence items 1–25 of ${seeded.items}` }).waitFor();
	await ev.getByRole('button', { name: 'Next page' }).click();
	await ev.getByRole('table', { name: `Evidence items 26–${seeded.items} of ${seeded.items}` }).waitFor();
	await ev.getByLabel('Filter by path').fill('jdoe/Pictures');
	await ev.getByRole('button', { name: 'Filter' }).click();
	await ev.getByRole('cell', { name: /IMG_0001\.JPG/ }).first().waitFor();
	const rows = await ev.getByRole('row').count();
	assert.ok(rows >= 2 && rows < 6, `filtered evidence rows: ${rows}`);
	await screenshot(page, 'case-investigator');

	// the paper version: no menu, no forms, no buttons
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
	assert.equal(await page.getByRole('button', { name: 'Print summary' }).isVisible(), false);
	assert.equal(await page.getByRole('heading', { level: 2, name: 'Summary' }).isVisible(), true);
	await page.pdf({ path: path.join(REPO, 'build', 'e2e', 'case-print.pdf') });
	await screenshot(page, 'case-print');
	await page.emulateMedia({ media: 'screen' });
	assertClean(page);
	await page.context().close();
});

test('an investigator cannot reach another investigator\'s case, nor a restricted one', async () => {
	const page = await newPage();
	await loginAs(page, 'ian');
	// not on his home page
	await heading(page, 'Home');
	assert.equal(await page.getByRole('link', { name: seeded.ai.case.ref }).count(), 0);
	await page.getByRole('link', { name: seeded.ians.case.ref }).first().waitFor();
	for (const ref of [seeded.ai.case.ref, seeded.restricted.case.ref]) {
		await page.goto(`/#/cases/${ref}`);
		await heading(page, 'Not found');
		await page.getByText('a case you may not see').waitFor();
	}
	await page.goto(`/#/incidents/${seeded.ai.id}`);
	await heading(page, 'Not found');
	await screenshot(page, 'case-not-found');
	// Chromium logs the 404 replies; nothing else may appear
	assertClean(page, { allow: [/status of 404 .*\/api\/(cases|incidents)\//] });
	await page.context().close();
});

test('a prosecutor does not see the restricted case; the supervisor does, with its deadline', async () => {
	const paula = await newPage();
	await loginAs(paula, 'paula');
	await paula.goto(`/#/cases/${seeded.restricted.case.ref}`);
	await heading(paula, 'Not found');
	await paula.context().close();

	const page = await newPage({ phone: true });
	await loginAs(page, 'sam');
	await page.goto(`/#/cases/${seeded.restricted.case.ref}`);
	await heading(page, 'Forged images of a 15-year-old shared in a school group chat');
	await page.getByRole('region', { name: 'Summary' }).getByText('Restricted').first().waitFor();
	await page.getByRole('region', { name: 'Removal deadlines' }).getByText(/^1 d 2\d h \d+ min left$/).waitFor();
	await assertFits(page);
	await screenshot(page, 'case-restricted-phone');
	assertClean(page);
	await page.context().close();
});
