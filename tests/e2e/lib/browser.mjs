// Browser-test harness for the aimcase web UI: a real `aimcase serve` and Debian's chromium,
// driven by playwright-core, under the node:test runner.
//
//   import { test } from 'node:test';
//   import { setup, newPage, loginAs, screenshot, assertClean } from './lib/browser.mjs';
//   const env = setup();                     // before(): server + chromium; after(): both stopped
//   test('home', async () => {
//     const page = await newPage();            // 1280x800; newPage({ phone: true }) is 390x844
//     await loginAs(page, 'ivy');
//     await screenshot(page, 'home-ivy');      // build/e2e/home-ivy.png, full page
//     assertClean(page);                       // no console error/warning, page error, failed
//   });                                        // request, 5xx reply or CSP violation
//
// One server (startServer() of tests/api/lib/server.mjs: users ivy, ian, paula, pat, sam with
// the passwords of USERS) and one chromium per test file; every newPage() is a fresh browser
// context (its own cookies). `env.server`, `env.base` and `env.browser` are set once before() ran.
//
// Environment: AIMCASE_BIN, AIMCASE_WEB, AIMCASE_KEEP as for the API tests; CHROMIUM (default
// /usr/bin/chromium); E2E_HEADED=1 runs a visible browser (needs a display).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { REPO, USERS, startServer, totp } from '../../api/lib/server.mjs';

export { USERS };

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'build', 'e2e');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Playwright's wait for any one step (click, fill, waitFor, goto), in ms. */
const STEP_TIMEOUT = 10000;

/**
 * The console error Chromium itself logs when GET /api/session answers 401, which is how a page
 * learns that nobody is signed in. Pass it to assertClean's `allow` on pages loaded signed out.
 */
export const SESSION_PROBE_401 =
	/^console\.error: Failed to load resource: the server responded with a status of 401 .*\(at http:\/\/127\.0\.0\.1:\d+\/api\/session\)$/;

const CSP_PREFIX = 'securitypolicyviolation:';

const state = { server: null, browser: null };
const problems = new WeakMap();

/**
 * Registers before() and after() hooks for the calling test file: before() starts the server
 * (serverOpts are startServer's opts: {web, args, rules}) and launches chromium; after() closes
 * chromium and stops the server (which asserts that it exited 0). seed(env), when given, runs
 * once both are up (to file the data the tests need through the API). Returns an object whose
 * `server`, `base` and `browser` are set once before() has run.
 */
export function setup(serverOpts = {}, seed = null) {
	const env = {
		get server() { return state.server; },
		get base() { return state.server?.base; },
		get browser() { return state.browser; },
	};
	before(async () => {
		state.server = await startServer(serverOpts);
		state.browser = await launch();
		if (seed) await seed(env);
	});
	after(async () => {
		const browser = state.browser;
		const server = state.server;
		state.browser = null;
		state.server = null;
		try {
			if (browser) await browser.close();
		} finally {
			if (server) await server.stop();
		}
	});
	return env;
}

async function launch() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
	}
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: !process.env.E2E_HEADED,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--no-first-run',
			'--no-default-browser-check',
		],
	});
}

/**
 * A new page in a new browser context, not yet navigated. opts.phone: 390x844 with touch and
 * mobile viewport rules, else opts.viewport ({width, height}) or 1280x800. From now on the page
 * records what assertClean() checks.
 */
export async function newPage(opts = {}) {
	if (!state.browser) throw new Error('newPage() before setup()\'s before() hook ran');
	const phone = Boolean(opts.phone);
	const context = await state.browser.newContext({
		viewport: opts.viewport ?? (phone ? PHONE : DESKTOP),
		isMobile: phone,
		hasTouch: phone,
		deviceScaleFactor: 1,
		baseURL: state.server.base,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	context.setDefaultTimeout(STEP_TIMEOUT);
	context.setDefaultNavigationTimeout(STEP_TIMEOUT);
	// Chromium also logs a console error for most violations, but not for every kind (and not
	// in a form that names the directive), so the event itself is reported.
	await context.addInitScript((prefix) => {
		document.addEventListener('securitypolicyviolation', (e) => {
			console.error(`${prefix} ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}` +
				(e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : ''));
		}, true);
	}, CSP_PREFIX);
	const page = await context.newPage();
	record(page);
	return page;
}

function record(page) {
	const list = [];
	problems.set(page, list);
	page.on('console', (msg) => {
		const type = msg.type();
		if (type !== 'error' && type !== 'warning') return;
		const text = msg.text();
		if (text.startsWith(CSP_PREFIX)) {
			list.push(`CSP violation: ${text.slice(CSP_PREFIX.length).trim()}`);
			return;
		}
		const where = msg.location()?.url;
		list.push(`console.${type}: ${text}${where ? ` (at ${where})` : ''}`);
	});
	page.on('pageerror', (err) => {
		list.push(`page error: ${err.stack || err.message || String(err)}`);
	});
	page.on('requestfailed', (req) => {
		list.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'unknown'}`);
	});
	page.on('response', (res) => {
		if (res.status() >= 500) {
			list.push(`server error: ${res.request().method()} ${res.url()} answered ${res.status()}`);
		}
	});
}

/** What the page recorded so far, one line each (a copy). */
export function pageProblems(page) {
	const list = problems.get(page);
	if (!list) throw new Error('pageProblems()/assertClean(): not a page from newPage()');
	return [...list];
}

/**
 * Fails the test if the page recorded any console error or warning, page error (uncaught
 * exception or rejection), failed request, reply with status >= 500 or CSP violation; the
 * message lists them all. opts.allow: RegExps; a line that one of them matches is not counted.
 */
export function assertClean(page, opts = {}) {
	const allow = opts.allow ?? [];
	const bad = pageProblems(page).filter((line) => !allow.some((re) => re.test(line)));
	if (bad.length > 0) {
		assert.fail(`${bad.length} problem(s) on ${page.url()}:\n  ${bad.join('\n  ')}`);
	}
}

/** Saves a full-page screenshot to build/e2e/NAME.png and returns its path. */
export async function screenshot(page, name) {
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
		throw new Error(`screenshot name ${JSON.stringify(name)}: letters, digits, . _ - only`);
	}
	fs.mkdirSync(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
	return file;
}

/**
 * Goes to the base URL, fills the form fields labelled "Username" and "Password" with the name
 * and its password from USERS, clicks the button "Log in" and waits for the signed-in header:
 * the text "NAME (ROLE)" and the button "Log out". On a timeout, the error includes what the
 * page recorded.
 */
export async function loginAs(page, name) {
	const user = USERS[name];
	if (!user) throw new Error(`loginAs: no user ${JSON.stringify(name)} (one of ${Object.keys(USERS).join(', ')})`);
	await page.goto('/');
	try {
		await page.getByLabel('Username', { exact: true }).fill(name);
		await page.getByLabel('Password', { exact: true }).fill(user.password);
		const secret = state.server.totpSecrets?.[name];
		const field = page.getByLabel('One-time code', { exact: true });
		if (secret) await field.fill(totp(secret));
		await page.getByRole('button', { name: 'Log in', exact: true }).click();
		if (secret) {
			// a code is good once: a second log-in within the same 30 s waits for the next code
			const done = page.getByText(`${name} (${user.role})`, { exact: true });
			const refused = page.getByText('That code is not valid. Try the current one.');
			await done.or(refused).first().waitFor({ state: 'visible' });
			if (!(await done.isVisible())) {
				await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 200));
				await field.fill(totp(secret));
				await page.getByRole('button', { name: 'Log in', exact: true }).click();
				// the refused code's 401 is part of this log-in, not a fault of the page
				const list = problems.get(page);
				list.splice(0, list.length, ...list.filter((l) => !/status of 401 .*\/api\/session\)$/.test(l)));
			}
		}
		await page.getByText(`${name} (${user.role})`, { exact: true }).waitFor({ state: 'visible' });
		await page.getByRole('button', { name: 'Log out', exact: true }).waitFor({ state: 'visible' });
	} catch (err) {
		const seen = pageProblems(page);
		err.message = `loginAs(${name}) on ${page.url()}: ${err.message}` +
			(seen.length ? `\nthe page recorded:\n  ${seen.join('\n  ')}` : '');
		throw err;
	}
}
