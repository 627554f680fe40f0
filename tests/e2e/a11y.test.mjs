// Accessibility: axe-core (WCAG 2.1 A and AA rules) on every page, signed in and out, at desktop
// and phone sizes.  axe runs through page.evaluate, which the page's CSP does not apply to, so the
// pages are checked exactly as served.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { assertClean, loginAs, newPage, setup } from './lib/browser.mjs';
import { aiIncident, tdIncident } from '../api/lib/server.mjs';
import { file, heading, hoursAgo } from './lib/ui.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const seeded = {};
const env = setup({}, async () => {
	seeded.ai = await file(env.server, 'ivy', aiIncident());
	await file(env.server, 'ivy', aiIncident({ title: 'A second intrusion from 203.0.113.7' }));
	seeded.td = await file(env.server, 'ivy', tdIncident({
		take_it_down: { ...tdIncident().take_it_down, platforms: [{ name: 'Late Host', removal_requested_at: hoursAgo(50) }] },
	}));
});

/** Runs axe on the page; fails listing every violation with the elements it names. */
async function audit(page, what) {
	const result = await page.evaluate(async (src) => {
		if (!window.axe) (0, eval)(src);
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join('\n      ')}`);
	}, AXE);
	assert.deepEqual(result, [], `${what}: ${result.length} accessibility violation(s):\n  ${result.join('\n  ')}`);
}

const PAGES = [
	['home', '/#/', 'Home'],
	['file an incident (AI intrusion)', '/#/file?kind=ai_intrusion', 'File an incident'],
	['file an incident (Take It Down)', '/#/file?kind=take_it_down', 'File an incident'],
	['search results', '/#/search?q=portal', 'Search'],
	['import', '/#/import', 'Import an evidence manifest'],
	['rules', '/#/rules', 'Rules in force'],
];

for (const phone of [false, true]) {
	test(`every page passes axe (WCAG 2.1 AA)${phone ? ' on a phone' : ''}`, async () => {
		const page = await newPage({ phone });
		await page.goto('/');
		await heading(page, 'Log in to aimcase');
		await audit(page, 'log-in');
		await loginAs(page, 'ivy');
		const pages = [...PAGES,
			['case', `/#/cases/${seeded.ai.case.ref}`, 'Agent scraped patient portal after credential stuffing'],
			['Take It Down case', `/#/cases/${seeded.td.case.ref}`, tdIncident().title],
			['incident', `/#/incidents/${seeded.ai.id}`, 'Agent scraped patient portal after credential stuffing']];
		for (const [what, url, title] of pages) {
			await page.goto(url);
			await heading(page, title);
			await page.waitForLoadState('networkidle');
			await audit(page, what);
		}
		// a form showing an error
		await page.goto('/#/file?kind=ai_intrusion');
		await heading(page, 'File an incident');
		await page.getByRole('button', { name: 'File incident' }).click();
		await page.getByRole('alert').filter({ hasText: 'The report was not filed' }).waitFor();
		await audit(page, 'filing form with an error');
		assertClean(page, { allow: [/status of 400 /] });
		await page.context().close();
	});
}

test('the prosecutor\'s case page (status, assignee and note forms) passes axe', async () => {
	const page = await newPage();
	await loginAs(page, 'paula');
	await page.goto(`/#/cases/${seeded.ai.case.ref}`);
	await heading(page, 'Agent scraped patient portal after credential stuffing');
	await page.getByRole('button', { name: 'Save changes' }).waitFor();
	await audit(page, 'case as prosecutor');
	assertClean(page);
	await page.context().close();
});
