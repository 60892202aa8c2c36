import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MASK, isSensitiveInput, rrwebPrivacyOptions } from '../../src/recorder/privacy.js';

// Just enough of an element for the masking decision (in the page's own document).
function element(attrs = {}, { inPrivate = false } = {}) {
  return {
    nodeType: 1,
    id: attrs.id || '',
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    hasAttribute: (name) => name in attrs,
    closest: () => (inPrivate ? {} : null),
    getRootNode: () => ({}),
  };
}

test('password, email, tel, hidden, card, one-time-code and private inputs are sensitive', () => {
  assert.ok(isSensitiveInput(element({ type: 'password' })));
  assert.ok(isSensitiveInput(element({ type: 'EMAIL' })));
  assert.ok(isSensitiveInput(element({ type: 'tel' })));
  assert.ok(isSensitiveInput(element({ type: 'hidden' })));
  assert.ok(isSensitiveInput(element({ type: 'text', autocomplete: 'cc-number' })));
  assert.ok(isSensitiveInput(element({ type: 'text', autocomplete: 'one-time-code' })));
  assert.ok(isSensitiveInput(element({ type: 'text', 'data-rr-is-password': 'true' })));
  assert.ok(isSensitiveInput(element({ type: 'text', name: 'api_key' })));
  assert.ok(isSensitiveInput(element({ type: 'text' }, { inPrivate: true })));
  assert.ok(!isSensitiveInput(element({ type: 'text', autocomplete: 'name', name: 'city' })));
});

test('mask-inputs masks every input value to a fixed length', () => {
  const { maskInputFn } = rrwebPrivacyOptions('mask-inputs');
  assert.equal(maskInputFn('blue shoes', element({ type: 'text' })), MASK);
  assert.equal(maskInputFn('a', element({ type: 'text' })), MASK, 'the length is not told');
});

test('mask-sensitive keeps ordinary values but masks sensitive ones', () => {
  const { maskInputFn } = rrwebPrivacyOptions('mask-sensitive');
  assert.equal(maskInputFn('blue shoes', element({ type: 'text' })), 'blue shoes');
  assert.equal(maskInputFn('hunter2', element({ type: 'password' })), MASK);
});

test('mask-all masks all text; the other modes mask private (and in mask-inputs, editable) text', () => {
  assert.equal(rrwebPrivacyOptions('mask-all').maskTextSelector, '*');
  assert.match(rrwebPrivacyOptions('mask-inputs').maskTextSelector, /contenteditable/);
  assert.match(rrwebPrivacyOptions('mask-sensitive').maskTextSelector, /data-private/);
  assert.doesNotMatch(rrwebPrivacyOptions('mask-sensitive').maskTextSelector, /contenteditable/);
  // mask-all keeps the text's shape so the layout replays; private text has a fixed length.
  assert.equal(rrwebPrivacyOptions('mask-all').maskTextFn('Jane Doe', element()), '**** ***');
  assert.equal(rrwebPrivacyOptions('mask-all').maskTextFn('Jane Doe', element({}, { inPrivate: true })), MASK);
});
