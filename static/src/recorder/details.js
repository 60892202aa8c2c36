// Network details (data-network-details): headers and bodies of requests to allowed URLs,
// redacted before they are recorded. Pure functions; network.js reads the requests.
// Redaction runs on the whole body before it is cut, so a cut never splits a secret in two.
import { REDACTED, SECRET_NAME, redactLink, redactParams } from './redact.js';
import { watchWebSockets } from './websocket.js';

export const BODY_CAP = 64 * 1024; // characters kept of each body
// Bodies larger than this are not parsed as JSON: their text is redacted by pattern instead.
const PARSE_LIMIT = 1024 * 1024;
// Of a response, at most this many characters are read (a large download is not held in memory).
export const READ_LIMIT = 1024 * 1024;
export const TRUNCATED_MARKER = '…[truncated by Qorrelate]';
const TEXT_TYPE = /json|text|xml|x-www-form-urlencoded|javascript|graphql/i;

// Values that are secret whatever their name: JWTs, US SSNs and card numbers (Luhn-checked).
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const SSN = /\b\d{3}-\d{2}-\d{4}\b/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;

function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = +digits[digits.length - 1 - i];
    if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function redactValues(text) {
  return String(text)
    .replace(JWT, REDACTED)
    .replace(SSN, REDACTED)
    .replace(CARD, (m) => (luhn(m.replace(/\D/g, '')) ? REDACTED : m));
}

// "https://api.example.com/v1/*", "/api/*" (the page's origin), "*" (everything): a URL is
// allowed when it starts with a pattern; `*` stands for any run of characters, within the host
// only a run that stays in the host. A pattern that does not end in `*` or `/` ends at a boundary
// of the URL (its end, or a `/`, `?` or `#`): `https://api.example.com` is not
// `https://api.example.com.evil.net`, nor `/api/orders` `/api/orders-admin`.
const escaped = (text, star) => text.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join(star);
export function createAllowList(patterns, base) {
  const res = patterns.map((p) => {
    const abs = p.charAt(0) === '/' ? new URL(base).origin + p : p;
    const scheme = abs.indexOf('://');
    let path = scheme < 0 ? 0 : abs.indexOf('/', scheme + 3);
    if (path < 0) path = abs.length;
    const open = /[*/]$/.test(abs) ? '' : '(?:[/?#].*)?$';
    return new RegExp('^' + escaped(abs.slice(0, path), '[^/?#]*') + escaped(abs.slice(path), '.*') + open, 'i');
  });
  return (url) => res.some((re) => re.test(url));
}

// Header names that say secret (authorization, cookie, set-cookie, x-api-key, proxy-authorization,
// x-csrf-token, x-session-id…) keep their name with the value [redacted]; the others are kept
// with secret-looking values redacted, URL parameters (a Link or Location header's) included.
// deny: more header names (lower case) whose values are never kept (data-redact-headers).
export function redactHeaders(pairs, deny) {
  const out = {};
  for (const [name, value] of pairs) {
    const key = String(name).toLowerCase();
    out[key] = SECRET_NAME.test(key) || (deny && deny.indexOf(key) >= 0) ? REDACTED : redactValues(redactLink(value, false));
  }
  return out;
}

function redactJson(value, depth) {
  if (typeof value === 'string') return redactValues(value);
  if (typeof value === 'number') return String(value).length >= 13 && redactValues(String(value)) !== String(value) ? REDACTED : value;
  if (!value || typeof value !== 'object' || depth > 40) return value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out = {};
  for (const key in value) out[key] = SECRET_NAME.test(key) ? REDACTED : redactJson(value[key], depth + 1);
  return out;
}

// JSON that cannot be parsed (too large, cut, not JSON): "secret_name": value pairs by pattern.
const JSON_PAIR = /("([^"\\]*(?:\\.[^"\\]*)*)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)/g;

export function redactBody(text, contentType) {
  const type = String(contentType || '');
  const t = String(text);
  // Form fields, declared or not (a beacon's text/plain body often is one).
  if (/x-www-form-urlencoded/i.test(type) || (!/json/i.test(type) && /^[\w.%+[\]-]+=[^&]*(&[\w.%+[\]-]+=[^&]*)*$/.test(t))) {
    return redactValues(redactParams(t));
  }
  if (t.length <= PARSE_LIMIT && /^\s*[[{]/.test(t)) {
    try {
      return JSON.stringify(redactJson(JSON.parse(t), 0));
    } catch (e) {
      /* not JSON after all: by pattern below */
    }
  }
  return redactValues(t.replace(JSON_PAIR, (m, head, name) => (SECRET_NAME.test(name) ? head + '"' + REDACTED + '"' : m)));
}

// What is recorded of one body: {body, size, truncated}; body null when it is not text
// (or mask-all, where only the size is kept).
export function captureBody(text, contentType, maskAll) {
  if (text == null) return null;
  const size = text.length;
  if (maskAll || (contentType && !TEXT_TYPE.test(contentType))) return { body: null, size, truncated: false };
  const redacted = redactBody(text, contentType);
  const truncated = redacted.length > BODY_CAP;
  return { body: truncated ? redacted.slice(0, BODY_CAP) + TRUNCATED_MARKER : redacted, size, truncated };
}

// The text of a response (a clone: the page reads its own), at most READ_LIMIT characters of it.
export function readResponse(res) {
  const clone = res.clone();
  if (!clone.body || !clone.body.getReader || typeof TextDecoder === 'undefined') return clone.text();
  const reader = clone.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const next = () =>
    reader.read().then((chunk) => {
      if (chunk.done) return text + decoder.decode();
      text += decoder.decode(chunk.value, { stream: true });
      if (text.length <= READ_LIMIT) return next();
      reader.cancel().catch(() => null);
      return text;
    });
  return next();
}

// A request body the page passed to fetch/XHR/sendBeacon, as text when it is text.
export function bodyText(body) {
  if (body == null) return null;
  if (typeof body === 'string') return body;
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return body.toString();
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    const params = [];
    body.forEach((v, k) => params.push(encodeURIComponent(k) + '=' + encodeURIComponent(typeof v === 'string' ? v : '[file]')));
    return params.join('&');
  }
  return null; // Blob, ArrayBuffer, streams: not read
}

const FORM = 'application/x-www-form-urlencoded';

function isForm(body) {
  return (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) ||
    (typeof FormData !== 'undefined' && body instanceof FormData);
}

function xhrResponseHeaders(xhr) {
  return (xhr.getAllResponseHeaders() || '')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
    });
}

function xhrResponseText(xhr) {
  if (xhr.responseType === '' || xhr.responseType === 'text') return xhr.responseText;
  if (xhr.responseType === 'json') return xhr.response == null ? null : JSON.stringify(xhr.response);
  return null;
}

// What network.js asks of the details, for the recorder's configuration (config.js): whether a
// URL is allowed, and the redacted request and response halves. Lives in this lazy chunk so
// replay.js carries none of it when data-network-details is not set.
export function createDetails(config, base) {
  const maskAll = config.privacyMode === 'mask-all';
  const headers = (pairs) => redactHeaders(pairs, config.redactHeaders);
  // ws://host/x is allowed when http://host/x is: patterns are written for the page's requests.
  const httpAllowed = createAllowList(config.networkDetails, base);
  const allowed = (url) => httpAllowed(String(url).replace(/^ws/i, 'http'));
  return {
    allowed,
    // Headers as sent (session headers included) and the body the page passed.
    request(pairs, body) {
      const h = headers(pairs);
      return { headers: h, body: captureBody(bodyText(body), isForm(body) ? FORM : h['content-type'], maskAll) };
    },
    xhrResponse: (xhr) => ({
      headers: headers(xhrResponseHeaders(xhr)),
      body: captureBody(xhrResponseText(xhr), xhr.getResponseHeader('content-type') || '', maskAll),
    }),
    // data-network-websocket="on": messages of sockets to allowed URLs (websocket.js).
    watchWebSockets: (record) =>
      watchWebSockets({
        record,
        allowed: (url) => allowed(url),
        capture: (text, type) => captureBody(text, type, maskAll),
      }),
    // A fetch response's details, to done(details) once its body is read. Streams that never
    // end (server-sent events) and, in mask-all, every body are not read.
    fetchResponse(res, done) {
      const pairs = [];
      res.headers.forEach((v, k) => pairs.push([k, v]));
      const type = res.headers.get('content-type') || '';
      const finish = (text) => done({ headers: headers(pairs), body: captureBody(text, type, maskAll) });
      if (/event-stream/i.test(type) || maskAll) finish(null);
      else readResponse(res).then(finish, () => finish(null));
    },
  };
}
