// api.js — the one way the UI talks to the server: JSON over fetch, same origin.
//
// The session is the HttpOnly cookie set by POST /api/session; state-changing requests carry the
// session's CSRF token in X-CSRF-Token.  Any 401 except at log-in fires the `aimcase:signedout`
// event, so the shell can show the log-in page again.

let csrf = null;

/** An error reply: status, code, message and field of {"error":{…}}. */
export class ApiError extends Error {
	constructor(status, err) {
		super(err?.message ?? `HTTP ${status}`);
		this.status = status;
		this.code = err?.code ?? 'http_error';
		this.field = err?.field ?? null;
	}
}

export function setCsrf(token) {
	csrf = token ?? null;
}

export function csrfToken() {
	return csrf;
}

async function parse(res) {
	const type = res.headers.get('content-type') ?? '';
	if (res.status === 204) return null;
	if (!type.startsWith('application/json')) return null;
	try {
		return await res.json();
	} catch {
		return null;
	}
}

/**
 * api('GET', '/api/cases', {query: {limit: 50}}) → the reply's JSON, or throws ApiError.
 * opts: query (object; empty values left out), json (body), headers.
 */
export async function api(method, path, opts = {}) {
	let url = path;
	if (opts.query) {
		const q = new URLSearchParams();
		for (const [k, v] of Object.entries(opts.query))
			if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
		const s = q.toString();
		if (s) url += `?${s}`;
	}
	const headers = { Accept: 'application/json', ...(opts.headers ?? {}) };
	let body;
	if (opts.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(opts.json);
	}
	if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
	let res;
	try {
		res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
	} catch {
		throw new ApiError(0, { code: 'network', message: 'The server cannot be reached.' });
	}
	const data = await parse(res);
	if (res.ok) return data;
	if (res.status === 401 && !(method === 'POST' && path === '/api/session'))
		window.dispatchEvent(new CustomEvent('aimcase:signedout'));
	throw new ApiError(res.status, data?.error);
}

/**
 * Uploads a file with XMLHttpRequest (fetch has no upload progress).  onprogress(sent, total).
 * Resolves to {status, json}; rejects with ApiError on an error reply.
 */
export function upload(path, file, contentType, onprogress) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', path);
		xhr.setRequestHeader('Content-Type', contentType);
		xhr.setRequestHeader('Accept', 'application/json');
		if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
		xhr.upload.addEventListener('progress', (e) => onprogress(e.loaded, e.lengthComputable ? e.total : file.size));
		xhr.addEventListener('load', () => {
			let json = null;
			try {
				json = JSON.parse(xhr.responseText);
			} catch { /* not JSON */ }
			if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, json });
			else {
				if (xhr.status === 401) window.dispatchEvent(new CustomEvent('aimcase:signedout'));
				reject(new ApiError(xhr.status, json?.error));
			}
		});
		xhr.addEventListener('error', () => reject(new ApiError(0, { code: 'network', message: 'The upload was interrupted.' })));
		xhr.send(file);
	});
}
