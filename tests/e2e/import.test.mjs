// Importing an evidence manifest from the browser: the file, the progress bar, the summary; the
// same file again adds nothing; a file that is not a manifest is refused with the reason.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { assertClean, loginAs, newPage, screenshot, setup } from './lib/browser.mjs';
import { REPO, aiIncident } from '../api/lib/server.mjs';
import { file, fieldError, heading, replied } from './lib/ui.mjs';

const MANIFEST = path.join(REPO, 'fixtures', 'manifests', 'fiwalk-ext4.xml');
const seeded = {};
const env = setup({}, async () => {
	seeded.case = await file(env.server, 'ivy', aiIncident());
});

test('upload a fiwalk manifest to a case: progress, summary, then the evidence is in the case', async () => {
	const ref = seeded.case.case.ref;
	const page = await newPage();
	await loginAs(page, 'ivy');
	await page.getByRole('link', { name: 'Import', exact: true }).click();
	await heading(page, 'Import an evidence manifest');
	await page.getByLabel('Case').selectOption(ref);
	await page.getByLabel(/^Manifest file/).setInputFiles(MANIFEST);
	await page.getByRole('button', { name: 'Upload and import' }).click();
	const done = page.getByRole('region', { name: 'Manifest imported' });
	await done.waitFor();
	assert.equal(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('value'), '100');
	await done.getByText('29', { exact: true }).waitFor();
	await screenshot(page, 'import-done');

	// again: nothing added
	await page.getByRole('button', { name: 'Upload and import' }).click();
	await page.getByRole('region', { name: 'Already imported: nothing was added' }).waitFor();

	await page.getByRole('link', { name: 'See the evidence' }).click();
	await page.getByRole('heading', { level: 2, name: 'Evidence (29 items)' }).waitFor();
	await page.getByRole('region', { name: /^Manifests and custody/ }).getByRole('cell', { name: 'fiwalk 4.11.1', exact: true }).waitFor();
	assertClean(page);
	await page.context().close();
});

test('a file that is not a manifest is refused next to the file field; nothing is imported', async () => {
	const ref = seeded.case.case.ref;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-e2e-'));
	const bad = path.join(dir, 'notes.xml');
	fs.writeFileSync(bad, '<?xml version="1.0"?>\n<dfxml>\n<fileobject><filename>a</filename><filesize>12x</filesize></fileobject>\n</dfxml>\n');
	try {
		const page = await newPage();
		await loginAs(page, 'ivy');
		await page.goto(`/#/import?case=${ref}`);
		await heading(page, 'Import an evidence manifest');
		assert.equal(await page.getByLabel('Case').inputValue(), ref);
		const input = page.getByLabel(/^Manifest file/);
		await input.setInputFiles(bad);
		await page.getByRole('button', { name: 'Upload and import' }).click();
		await page.getByRole('alert').filter({ hasText: 'The manifest was not imported' }).waitFor();
		assert.match(await fieldError(input), /^3:\d+: /);
		await screenshot(page, 'import-error');
		const sam = await env.server.login('sam');
		assert.equal((await sam.get(`/api/cases/${ref}`)).json.manifests.length, 1);
		assertClean(page, { allow: [replied(400)] });
		await page.context().close();
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
