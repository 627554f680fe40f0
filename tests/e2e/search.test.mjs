// Search from the browser: the query in the URL, facets as filters, highlighted snippets, pages,
// opening a hit, a malformed query explained; and the whole flow from the keyboard alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';
import { aiIncident, tdIncident, totp } from '../api/lib/server.mjs';
import { file, heading, replied, assertFits } from './lib/ui.mjs';

const seeded = {};
const env = setup({}, async () => {
	// 23 reports that mention exfiltration (two pages of 20), one of them a Take It Down case
	for (let i = 1; i <= 22; i++) {
		const r = await file(env.server, i % 2 ? 'ivy' : 'ian', aiIncident({
			title: `Exfiltration by a scripted agent, wave ${i}`,
			narrative: `Wave ${i}: the agent staged the exfiltration of ledger exports through a paste site.`,
		}));
		if (i === 1) seeded.first = r;
	}
	seeded.td = await file(env.server, 'ivy', tdIncident({
		title: 'Sextortion threat after exfiltration of a cloud photo album',
		narrative: 'The offender exfiltration of the album preceded a threat to publish digital forgeries.',
	}));
});

test('search with the box, narrow with a facet, page through, open a hit; the URL holds the query', async () => {
	const page = await newPage();
	await loginAs(page, 'paula');
	await page.getByRole('link', { name: 'Search', exact: true }).first().click();
	await heading(page, 'Search');
	await page.getByRole('searchbox', { name: 'Search query' }).fill('exfiltration');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page.getByRole('main').getByText(/^23 results/).waitFor();
	assert.match(page.url(), /#\/search\?q=exfiltration$/);
	// snippets highlight the word, as text (never as markup from the server)
	assert.ok(await page.locator('.snippet mark').count() > 0, 'highlighted words');
	assert.equal(await page.getByRole('listitem').filter({ has: page.locator('h3') }).count(), 20);
	await screenshot(page, 'search-results');

	await page.getByRole('link', { name: 'Next page' }).click();
	await page.getByText('21–23 of 23').waitFor();
	assert.match(page.url(), /offset=20/);
	await page.getByRole('link', { name: 'Previous page' }).click();
	await page.getByText('1–20 of 23').waitFor();

	// a facet filters: kind Take It Down leaves one hit
	await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: /Take It Down/ }).click();
	await page.getByRole('main').getByText(/^1 result /).waitFor();
	assert.equal(await page.getByRole('searchbox', { name: 'Search query' }).inputValue(), 'exfiltration kind:take_it_down');
	await page.getByRole('link', { name: 'Sextortion threat after exfiltration of a cloud photo album' }).click();
	await heading(page, 'Sextortion threat after exfiltration of a cloud photo album');
	await page.getByRole('link', { name: seeded.td.case.ref }).waitFor();
	await screenshot(page, 'incident');

	// bookmarked: the URL alone gives the same search
	const again = await newPage();
	await loginAs(again, 'paula');
	await again.goto('/#/search?q=exfiltration%20kind%3Atake_it_down');
	await again.getByRole('main').getByText(/^1 result /).waitFor();
	assertClean(page);
	assertClean(again);
	await page.context().close();
	await again.context().close();
});

test('a malformed query is explained at the box, with its position', async () => {
	const page = await newPage();
	await loginAs(page, 'ivy');
	await page.goto('/#/search?q=%22unclosed%20phrase');
	const box = page.getByRole('searchbox', { name: 'Search query' });
	await page.getByRole('alert').filter({ hasText: /position \d+/ }).waitFor();
	assert.equal(await box.getAttribute('aria-invalid'), 'true');
	assertClean(page, { allow: [replied(400)] });
	await page.context().close();
});

test('an investigator only finds what is hers: ian\'s reports are not in ivy\'s results', async () => {
	const page = await newPage();
	await loginAs(page, 'ivy');
	await page.goto('/#/search?q=exfiltration');
	// ivy filed waves 1, 3, …, 21 (11) and the Take It Down case
	await page.getByRole('main').getByText(/^12 results/).waitFor();
	assert.equal(await page.getByRole('link', { name: 'Exfiltration by a scripted agent, wave 2', exact: true }).count(), 0);
	assertClean(page);
	await page.context().close();
});

test('keyboard only: log in, reach search from the menu, search, open the first hit', async () => {
	const page = await newPage();
	await page.goto('/');
	await page.getByLabel('Username', { exact: true }).waitFor();
	// the username field has the focus on arrival
	await page.keyboard.type('sam');
	await page.keyboard.press('Tab');
	await page.keyboard.type('sam-Passw0rd-1');
	// a supervisor: the next field is the one-time code
	await page.keyboard.press('Tab');
	await page.keyboard.type(totp(env.server.totpSecrets.sam));
	await page.keyboard.press('Enter');
	await heading(page, 'Home');
	// Tab from the top: skip link, brand, then the menu
	const focused = async () => page.evaluate(() => document.activeElement?.textContent?.trim());
	await page.evaluate(() => document.activeElement?.blur());
	let name = '';
	for (let i = 0; i < 10 && name !== 'Search'; i++) {
		await page.keyboard.press('Tab');
		name = await focused();
	}
	assert.equal(name, 'Search', 'the menu item Search is reachable with Tab');
	await page.keyboard.press('Enter');
	await heading(page, 'Search');
	await page.getByRole('searchbox', { name: 'Search query' }).focus();
	await page.keyboard.type('ledger');
	await page.keyboard.press('Enter');
	await page.getByRole('main').getByText(/^22 results/).waitFor();
	// Tab until the first hit's title link, then Enter opens it
	for (let i = 0; i < 40; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate(() => document.activeElement?.closest('.hit h3') !== null)) break;
	}
	const title = await focused();
	assert.match(title, /^Exfiltration by a scripted agent, wave \d+$/);
	// the focus is visible: an outline is drawn
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	assert.notEqual(outline, 'none');
	await page.keyboard.press('Enter');
	await heading(page, title);
	assertClean(page);
	await page.context().close();
});

test('search on a phone fits the window', async () => {
	const page = await newPage({ phone: true });
	await loginAs(page, 'sam');
	await page.goto('/#/search?q=exfiltration');
	await page.getByRole('main').getByText(/^23 results/).waitFor();
	await assertFits(page);
	await screenshot(page, 'search-phone');
	assertClean(page);
	await page.context().close();
});
