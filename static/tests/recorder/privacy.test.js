import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSensitiveInput, rrwebPrivacyOptions } from '../../src/recorder/privacy.js';

// Just enough of an element for the masking decision.
function element(attrs = {}, { inPrivate = false } = {}) {
  return {
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    hasAttribute: (name) => name in attrs,
    closest: () => (inPrivate ? {} : null),
  };
}

test('password, email, tel, card and private inputs are sensitive', () => {
  assert.ok(isSensitiveInput(element({ type: 'password' })));
  assert.ok(isSensitiveInput(element({ type: 'EMAIL' })));
  assert.ok(isSensitiveInput(element({ type: 'tel' })));
  assert.ok(isSensitiveInput(element({ type: 'text', autocomplete: 'cc-number' })));
  assert.ok(isSensitiveInput(element({ type: 'text', 'data-rr-is-password': 'true' })));
  assert.ok(isSensitiveInput(element({ type: 'text' }, { inPrivate: true })));
  assert.ok(!isSensitiveInput(element({ type: 'text', autocomplete: 'name' })));
});

test('mask-inputs masks every input value, keeping no character', () => {
  const { maskInputFn } = rrwebPrivacyOptions('mask-inputs');
  assert.equal(maskInputFn('blue shoes', element({ type: 'text' })), '**** *****');
});

test('mask-sensitive keeps ordinary values but masks sensitive ones', () => {
  const { maskInputFn } = rrwebPrivacyOptions('mask-sensitive');
  assert.equal(maskInputFn('blue shoes', element({ type: 'text' })), 'blue shoes');
  assert.equal(maskInputFn('hunter2', element({ type: 'password' })), '*******');
});

test('mask-all masks all text, the other modes only private text', () => {
  assert.equal(rrwebPrivacyOptions('mask-all').maskTextSelector, '*');
  assert.equal(rrwebPrivacyOptions('mask-inputs').maskTextSelector, '[data-private="true"]');
  assert.equal(rrwebPrivacyOptions('mask-all').maskTextFn('Jane Doe'), '**** ***');
});
