// Attributes leak what masking hides (rrweb #1609 and friends): a title or an alt repeats the
// masked text, a data-* attribute carries a user's e-mail, a link's query string a token.
// rrweb serializes attributes with no hook, so they are masked here, on each emitted event
// (full snapshots and mutations), before the event is buffered. Text that rrweb left unmasked
// because its private container is outside its shadow root or iframe is masked here too.
import { MASK, isPrivate, maskText, outside } from './privacy.js';
import { redactLink } from './redact.js';

// Attributes whose value is text a person reads (or a screen reader does).
const TEXT_ATTRS = /^(title|alt|placeholder|label|summary|abbr|content|aria-(label|description|valuetext|placeholder|roledescription))$/;
const URL_ATTRS = /^(href|src|srcset|action|formaction|poster|cite|background|longdesc|ping|xlink:href|data)$/;
// data-* names that hold personal data or secrets, masked in every mode.
const SECRET_DATA = /token|key|secret|passw|pwd|auth|sig|credential|jwt|session|mail|phone|ssn|card|iban|account|user|name|address|birth/i;

function needsLook(attrs) {
  for (const name in attrs) {
    if (TEXT_ATTRS.test(name) || URL_ATTRS.test(name) || name === 'srcdoc' || name === 'value' || name.slice(0, 5) === 'data-') return true;
  }
  return false;
}

// One element's attributes. `hide` is mask-all or inside a private or qorrelate-mask container.
function maskAttrs(tag, attrs, hide) {
  for (const name in attrs) {
    const value = attrs[name];
    if (typeof value !== 'string' || !value) continue;
    if (name === 'srcdoc') {
      attrs[name] = ''; // the iframe's document is recorded (and masked) on its own
    } else if (name === 'data' && tag === 'object') {
      attrs[name] = redactLink(value, hide);
    } else if (name.slice(0, 5) === 'data-') {
      if (name === 'data-private' || name.slice(0, 8) === 'data-rr-') continue;
      if (hide || SECRET_DATA.test(name.slice(5))) attrs[name] = MASK;
    } else if (URL_ATTRS.test(name)) {
      attrs[name] = name === 'srcset'
        ? value.split(',').map((part) => part.replace(/\S+/, (url) => redactLink(url, hide))).join(',')
        : redactLink(value, hide);
    } else if (hide && (TEXT_ATTRS.test(name) || (name === 'value' && !/^(input|textarea|select)$/.test(tag)))) {
      attrs[name] = MASK;
    }
  }
}

export function createAttributeMasker(mode, mirror) {
  const strict = mode === 'mask-all';
  const privateNode = (id) => isPrivate(mirror.getNode(id));
  // rrweb masked text itself unless the node's tree is a shadow root or an iframe's document.
  const beyondRrweb = (id) => {
    const n = mirror.getNode(id);
    return !!(n && outside(n) && isPrivate(n));
  };

  // A serialized node and its serialized children (an iframe's document, a shadow root's
  // nodes). Privacy is inherited down a full snapshot; an added node looks itself up in the DOM.
  function walk(node, inherited) {
    let priv = inherited;
    if (node.type === 2) {
      const attrs = node.attributes;
      if (attrs['data-private'] === 'true' || /(^|\s)qorrelate-mask(\s|$)/.test(attrs.class || '')) priv = true;
      if (needsLook(attrs)) {
        if (priv == null) priv = privateNode(node.id);
        maskAttrs(node.tagName, attrs, strict || priv);
      }
    } else if (node.type === 3 && !strict && !node.isStyle && node.textContent) {
      if (priv == null ? beyondRrweb(node.id) : priv) node.textContent = maskText(node.textContent);
    }
    const children = node.childNodes;
    if (children) for (let i = 0; i < children.length; i++) walk(children[i], priv);
  }

  return function maskEvent(event) {
    if (event.type === 2) {
      walk(event.data.node, false);
    } else if (event.type === 3 && event.data.source === 0) {
      const data = event.data;
      for (let i = 0; i < data.adds.length; i++) walk(data.adds[i].node, null);
      for (let i = 0; i < data.attributes.length; i++) {
        const change = data.attributes[i];
        if (!needsLook(change.attributes)) continue;
        const el = mirror.getNode(change.id);
        maskAttrs(el && el.tagName ? el.tagName.toLowerCase() : '', change.attributes, strict || privateNode(change.id));
      }
      if (!strict) for (let i = 0; i < data.texts.length; i++) {
        const text = data.texts[i];
        if (text.value && beyondRrweb(text.id)) text.value = maskText(text.value);
      }
    }
    return event;
  };
}
