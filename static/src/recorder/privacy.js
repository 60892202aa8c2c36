// rrweb masking options for the three privacy modes. In every mode password, email and tel
// inputs, hidden inputs, cc-*/one-time-code/password autocomplete fields, inputs named like a
// secret and anything inside data-private="true" are masked; `qorrelate-block` elements become
// same-size placeholders whose content is never serialized. Attributes are masked afterwards, on
// the emitted events (attributes.js): rrweb has no hook for them.
export const BLOCK_CLASS = 'qorrelate-block';
export const MASK_CLASS = 'qorrelate-mask';
export const PRIVATE = '[data-private="true"],.' + MASK_CLASS;
// What a person types into outside form fields is input too.
const EDITABLE = '[contenteditable]:not([contenteditable="false"])';
const SENSITIVE_TYPES = ['password', 'email', 'tel', 'hidden'];
const SENSITIVE_AUTOCOMPLETE = /(^|\s)(cc-|one-time-code|current-password|new-password)/;
const SENSITIVE_NAME = /passw|pwd|secret|token|otp|cvv|cvc|ssn|iban|card.?num|api.?key/i;

// A fixed-length mask: a masked value says nothing about its length.
export const MASK = '********';
export const maskValue = (text) => (text ? MASK : text);
export const maskText = (text) => (/\S/.test(text) ? MASK : text); // whitespace between tags stays
// Page text masked only because of mask-all keeps its shape (so the layout replays);
// text the page marked private is masked to a fixed length.
const maskShape = (text) => (text ? String(text).replace(/\S/g, '*') : text);

// Inside a private container, also across shadow roots and same-origin iframes (rrweb's own
// masking stops at both: `closest` cannot see past them).
export function isPrivate(node) {
  let el = node && node.nodeType === 1 ? node : node && node.parentElement;
  while (el) {
    if (el.closest(PRIVATE)) return true;
    el = outside(el);
  }
  return false;
}

// The element that holds this node's tree: a shadow host or an iframe element (or null).
export function outside(node) {
  const root = node.getRootNode();
  if (root.host) return root.host;
  try {
    return root.defaultView && root.defaultView !== window ? root.defaultView.frameElement : null;
  } catch (e) {
    return null; // a cross-origin parent
  }
}

// A canvas whose pixels are never recorded (canvas.js).
export const isHiddenCanvas = (el) => el.classList.contains(BLOCK_CLASS) || isPrivate(el);

export function isSensitiveInput(el) {
  if (!el || !el.getAttribute) return false;
  // rrweb marks a password field whose type was toggled to text with data-rr-is-password.
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (SENSITIVE_TYPES.indexOf(type) >= 0 || el.hasAttribute('data-rr-is-password') || el.hasAttribute('hidden')) return true;
  if (SENSITIVE_AUTOCOMPLETE.test((el.getAttribute('autocomplete') || '').toLowerCase())) return true;
  if (SENSITIVE_NAME.test(el.getAttribute('name') || '') || SENSITIVE_NAME.test(el.id || '')) return true;
  return isPrivate(el);
}

export function rrwebPrivacyOptions(mode) {
  const maskAllInputs = mode !== 'mask-sensitive';
  return {
    blockClass: BLOCK_CLASS,
    maskTextClass: MASK_CLASS,
    maskTextSelector: mode === 'mask-all' ? '*' : mode === 'mask-inputs' ? PRIVATE + ',' + EDITABLE : PRIVATE,
    // Keyed by tag name, so every input, textarea and select (hidden inputs holding tokens
    // included) goes through maskInputFn, which decides per element.
    maskInputOptions: { input: true, textarea: true, select: true, password: true },
    maskInputFn: (text, el) => (maskAllInputs || isSensitiveInput(el) ? maskValue(text) : text),
    maskTextFn: (text, el) => (mode === 'mask-all' && !isPrivate(el) ? maskShape(text) : maskText(text)),
  };
}
