// Secret-looking query and fragment values never leave the browser: in page, navigation and
// network URLs and in the URL attributes of the recorded DOM (href, src, srcset, action…).

// Also the names of redacted JSON keys, form fields and headers in captured bodies (details.js).
export const SECRET_NAME = /token|key|secret|passw|pwd|auth|sig|code|credential|jwt|session|cookie|csrf|xsrf|e-?mail|phone|ssn|card|cvv|cvc|iban|otp/i;
export const REDACTED = '[redacted]';
let every = false;

// mask-all: every query and fragment value of every URL the recorder sends is redacted.
export function redactEveryParam(on) {
  every = !!on;
}

export function redactParams(part, all) {
  return part
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch (e) {
        /* keep the raw name */
      }
      return all || every || SECRET_NAME.test(name) ? pair.slice(0, eq) + '=' + REDACTED : pair;
    })
    .join('&');
}

export function redactUrl(url) {
  let u;
  try {
    u = new URL(url, location.href);
  } catch (e) {
    return '[invalid url]';
  }
  u.username = '';
  u.password = '';
  const query = u.search ? '?' + redactParams(u.search.slice(1)) : '';
  // OAuth implicit flows put access_token in the fragment.
  const hash = u.hash && u.hash.indexOf('=') > 0 ? '#' + redactParams(u.hash.slice(1)) : u.hash;
  return u.origin + u.pathname + query + hash;
}

// An attribute's URL, left as the page wrote it (rrweb made it absolute) but for user:password@,
// secret-looking parameters (every parameter when `all`) and the address of mailto:/tel:/sms:.
export function redactLink(value, all) {
  const v = String(value).replace(/^(\s*[a-z][\w+.-]*:\/\/)[^/?#@]*@/i, '$1');
  const scheme = /^\s*(mailto|tel|sms|callto):/i.exec(v);
  if (scheme) return all || /@/.test(v) ? scheme[0] + REDACTED : v;
  if (/^\s*(data|blob|javascript):/i.test(v)) return v;
  return v.replace(/([?#])([^#]*)/g, (m, sep, rest) => (rest.indexOf('=') >= 0 ? sep + redactParams(rest, all) : m));
}
