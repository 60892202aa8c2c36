// Secret-looking query and fragment values never leave the browser (network and navigation URLs).

const SECRET_NAME = /token|key|secret|passw|pwd|auth|sig|code|credential|jwt|session/i;

function redactParams(part) {
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
      return SECRET_NAME.test(name) ? pair.slice(0, eq) + '=[redacted]' : pair;
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
