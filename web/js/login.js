// login.js — the log-in form, with the one-time code of a second factor (TOTP) for the accounts
// that have one.

import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';

export function render({ main, onSignedIn, notice }) {
	const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
	const pass = h('input', { id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
	const totp = h('input', { id: 'login-totp', name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' });
	const totpRow = h('div', { class: 'field' },
		h('label', { for: 'login-totp' }, 'One-time code'), totp,
		h('p', { class: 'hint', id: 'login-totp-hint' }, 'Six digits from your authenticator app, if your account has a second factor (supervisors do).'));
	totp.setAttribute('aria-describedby', 'login-totp-hint');
	const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
	const button = h('button', { type: 'submit', class: 'primary' }, 'Log in');
	const form = h('form', { class: 'card login', 'aria-labelledby': 'login-title', novalidate: false },
		h('h1', { id: 'login-title' }, 'Log in to aimcase'),
		h('p', { class: 'lede' }, 'Case management for criminal enforcement against AI misuse.'),
		notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
		h('div', { class: 'field' }, h('label', { for: 'login-user' }, 'Username'), user),
		h('div', { class: 'field' }, h('label', { for: 'login-pass' }, 'Password'), pass),
		totpRow, error, button);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		error.textContent = '';
		button.disabled = true;
		const body = { username: user.value.trim(), password: pass.value };
		if (totp.value.trim()) body.totp = totp.value.trim();
		try {
			const s = await api('POST', '/api/session', { json: body });
			pass.value = '';
			onSignedIn(s);
		} catch (e) {
			if (e instanceof ApiError && e.code === 'mfa_required' && /aimcase user mfa/.test(e.message)) {
				error.textContent = 'Your account needs a second factor before it can be used. Ask an administrator to run: ' +
					e.message.replace(/^.*`(aimcase user mfa [^`]+)`.*$/, '$1');
			} else if (e instanceof ApiError && e.code === 'mfa_required') {
				error.textContent = totp.value ? 'That code is not valid. Try the current one.' : 'Enter the one-time code from your authenticator app.';
				totp.value = '';
				totp.focus();
			} else if (e instanceof ApiError && e.code === 'bad_credentials') {
				error.textContent = 'The username or password is not right.';
				pass.select();
			} else if (e instanceof ApiError && e.status === 429) {
				error.textContent = e.message || 'Too many attempts. Wait a few minutes and try again.';
			} else {
				error.textContent = e.message;
			}
		} finally {
			button.disabled = false;
		}
	});
	replace(main, h('div', { class: 'login-wrap' }, form));
	user.focus();
}
