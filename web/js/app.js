// app.js — the shell: who is signed in, the header, and the router.
//
// Pages live in the URL's fragment (#/search?q=…), so every page can be bookmarked and shared and
// the server serves one file.  A page module exports render(ctx) and may return a cleanup function
// (timers); ctx = {main, params, query, user, go, title}.

import { api, ApiError, setCsrf } from './api.js';
import { h, replace, announce } from './dom.js';
import * as login from './login.js';
import * as home from './home.js';
import * as file from './file.js';
import * as search from './search.js';
import * as casePage from './case.js';
import * as incident from './incident.js';
import * as importPage from './import.js';
import * as rules from './rules.js';

const ROUTES = [
	{ path: /^\/$/, page: home },
	{ path: /^\/file$/, page: file },
	{ path: /^\/search$/, page: search },
	{ path: /^\/cases\/(AIM-\d{4}-\d{5})$/, page: casePage },
	{ path: /^\/incidents\/(\d+)$/, page: incident },
	{ path: /^\/import$/, page: importPage },
	{ path: /^\/rules$/, page: rules },
];

const state = { user: null, cleanup: null, seq: 0, notice: null };

// Whether this browser signed in before: only then is the session probed at start, so that a
// first visit does not begin with a 401.  Not a secret: the session itself is an HttpOnly cookie.
const SIGNED_IN_KEY = 'aimcase.signed-in';

function remember(on) {
	try {
		if (on) localStorage.setItem(SIGNED_IN_KEY, '1');
		else localStorage.removeItem(SIGNED_IN_KEY);
	} catch { /* storage off: the session is probed every time */ }
}

function remembered() {
	try { return localStorage.getItem(SIGNED_IN_KEY) === '1'; } catch { return true; }
}

/** Navigates to a fragment route: go('/search', {q: 'x'}). */
export function go(path, query) {
	const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null)).toString() : '';
	const target = `#${path}${q ? `?${q}` : ''}`;
	if (location.hash === target) route();
	else location.hash = target;
}

function parseHash() {
	const raw = location.hash.replace(/^#/, '') || '/';
	const i = raw.indexOf('?');
	const path = i < 0 ? raw : raw.slice(0, i);
	const query = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
	return { path, query };
}

function showUser(user) {
	const nav = document.getElementById('nav');
	const who = document.getElementById('who');
	nav.hidden = !user;
	who.hidden = !user;
	document.getElementById('who-name').textContent = user ? `${user.username} (${user.role})` : '';
}

function markNav(path) {
	for (const a of document.querySelectorAll('#nav a')) {
		const target = a.getAttribute('href').slice(1);
		const current = target === '/' ? path === '/' : path.startsWith(target);
		if (current) a.setAttribute('aria-current', 'page');
		else a.removeAttribute('aria-current');
	}
}

function notFound(main, text) {
	replace(main,
		h('h1', { tabindex: '-1' }, 'Not found'),
		h('p', null, text ?? 'There is no such page.'),
		h('p', null, h('a', { href: '#/' }, 'Back to the home page')));
}

/** Renders the page named by the URL (or the log-in page). */
async function route() {
	const main = document.getElementById('main');
	const seq = ++state.seq;
	if (state.cleanup) {
		try { state.cleanup(); } catch { /* a page's cleanup must not stop the next page */ }
		state.cleanup = null;
	}
	const { path, query } = parseHash();
	if (!state.user) {
		showUser(null);
		login.render({ main, query, onSignedIn: signedIn, notice: state.notice });
		document.title = 'Log in — aimcase';
		return;
	}
	markNav(path);
	let page = null;
	let params = [];
	for (const r of ROUTES) {
		const m = r.path.exec(path);
		if (m) { page = r.page; params = m.slice(1); break; }
	}
	if (!page) {
		notFound(main);
		document.title = 'Not found — aimcase';
		focusHeading(main);
		return;
	}
	replace(main, h('p', { class: 'loading' }, 'Loading…'));
	// The page renders into its own view, shown only if no other navigation began meanwhile: a
	// slow page must never paint over the one the user went to next.
	const view = h('div', { class: 'view' });
	const ctx = {
		main: view, params, query, user: state.user, go,
		title: (t) => { document.title = `${t} — aimcase`; },
		current: () => seq === state.seq,
	};
	try {
		const cleanup = await page.render(ctx);
		if (seq !== state.seq) { if (typeof cleanup === 'function') cleanup(); return; }
		state.cleanup = typeof cleanup === 'function' ? cleanup : null;
		replace(main, view);
	} catch (e) {
		if (seq !== state.seq) return;
		if (e instanceof ApiError && e.status === 401) return;	// the log-in page takes over
		if (e instanceof ApiError && e.status === 404) {
			notFound(main, 'This page does not exist, or it is a case you may not see.');
			document.title = 'Not found — aimcase';
		} else {
			replace(main, h('h1', { tabindex: '-1' }, 'Something went wrong'),
				h('p', { role: 'alert', class: 'error' }, e.message));
		}
	}
	if (seq === state.seq && !query.has('nofocus')) focusHeading(main);
}

function focusHeading(main) {
	const h1 = main.querySelector('h1');
	if (h1) {
		h1.setAttribute('tabindex', '-1');
		h1.focus({ preventScroll: false });
	}
}

function signedIn(session) {
	state.user = session.user;
	state.notice = null;
	setCsrf(session.csrf_token);
	remember(true);
	showUser(state.user);
	announce(`Signed in as ${state.user.username}, ${state.user.role}`);
	route();
}

async function logout() {
	try {
		await api('DELETE', '/api/session');
	} catch { /* signed out either way */ }
	signedOut(true);
	announce('Signed out');
}

/*
 * Back to the log-in page.  Logging out clears the drafts of this tab; a session that merely
 * expired keeps them (they are kept per user), so a report typed for 40 minutes is still there
 * after logging in again.
 */
function signedOut(clearDrafts) {
	state.user = null;
	setCsrf(null);
	remember(false);
	if (clearDrafts) {
		try { sessionStorage.clear(); } catch { /* storage off: nothing kept */ }
	}
	showUser(null);
	route();
}

async function start() {
	document.getElementById('logout').addEventListener('click', logout);
	window.addEventListener('hashchange', route);
	// A link to the page already shown (the nav's "File an incident" under a filing's result)
	// changes no hash: render it again rather than do nothing.
	document.addEventListener('click', (e) => {
		const a = e.target.closest?.('a[href^="#"]');
		if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
		if (a.getAttribute('href') === (location.hash || '#/')) {
			e.preventDefault();
			route();
		}
	});
	window.addEventListener('aimcase:signedout', () => {
		if (state.user) {
			state.notice = 'Your session has ended. Log in again to go on: what you were typing is kept.';
			signedOut(false);
		}
	});
	if (remembered()) {
		try {
			const s = await api('GET', '/api/session');
			state.user = s.user;
			setCsrf(s.csrf_token);
			showUser(state.user);
		} catch { remember(false); }
	}
	route();
}

start();
