// Small helpers shared by the recorder modules. Nothing here may throw into the host page.

export function now() {
  return Date.now();
}

// Wraps a listener or patched method so an error in the recorder never reaches the page.
export function guard(fn) {
  return function () {
    try {
      return fn.apply(this, arguments);
    } catch (e) {
      return undefined;
    }
  };
}

export function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  let s = '';
  for (let i = 0; i < a.length; i++) s += (a[i] < 16 ? '0' : '') + a[i].toString(16);
  // An all-zero trace or span id is invalid in W3C trace context.
  return /^0+$/.test(s) ? randomHex(bytes) : s;
}

// crypto.randomUUID exists only in secure contexts; plain-http customer pages still need an id.
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const h = randomHex(16);
  const v = ((parseInt(h[16], 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20)}`;
}

export function originOf(url) {
  try {
    return new URL(url, location.href).origin;
  } catch (e) {
    return null;
  }
}

export function truncate(s, max) {
  s = s == null ? '' : String(s);
  return s.length > max ? s.slice(0, max) + '…' : s;
}
