// rrweb masking options for the three privacy modes. In every mode password, email and tel
// inputs, cc-* autocomplete fields and anything inside data-private="true" are masked;
// `qorrelate-block` elements become same-size placeholders whose content is never serialized.
export const BLOCK_CLASS = 'qorrelate-block';
export const MASK_CLASS = 'qorrelate-mask';
const PRIVATE = '[data-private="true"]';
const SENSITIVE_TYPES = ['password', 'email', 'tel'];

const mask = (text) => (text ? String(text).replace(/\S/g, '*') : text);

export function isSensitiveInput(el) {
  if (!el || !el.getAttribute) return false;
  // rrweb marks a password field whose type was toggled to text with data-rr-is-password.
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (SENSITIVE_TYPES.indexOf(type) >= 0 || el.hasAttribute('data-rr-is-password')) return true;
  if (/(^|\s)cc-/.test((el.getAttribute('autocomplete') || '').toLowerCase())) return true;
  return !!(el.closest && (el.closest(PRIVATE) || el.closest('.' + MASK_CLASS)));
}

export function rrwebPrivacyOptions(mode) {
  const maskAllInputs = mode !== 'mask-sensitive';
  return {
    blockClass: BLOCK_CLASS,
    maskTextClass: MASK_CLASS,
    maskTextSelector: mode === 'mask-all' ? '*' : PRIVATE,
    // Keyed by tag name, so every input, textarea and select (hidden inputs holding tokens
    // included) goes through maskInputFn, which decides per element.
    maskInputOptions: { input: true, textarea: true, select: true, password: true },
    maskInputFn: (text, el) => (maskAllInputs || isSensitiveInput(el) ? mask(text) : text),
    maskTextFn: mask,
  };
}
