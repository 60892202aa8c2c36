import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { redactUrl } from '../../src/recorder/redact.js';

before(() => {
  globalThis.location = new URL('https://shop.example/cart');
});

test('secret-looking query values are redacted and the others kept', () => {
  assert.equal(
    redactUrl('https://shop.example/pay?access_token=abc&item=42&api_key=k&Session=s'),
    'https://shop.example/pay?access_token=[redacted]&item=42&api_key=[redacted]&Session=[redacted]',
  );
});

test('credentials in the URL are removed', () => {
  assert.equal(redactUrl('https://user:hunter2@shop.example/a'), 'https://shop.example/a');
});

test('an OAuth fragment is redacted but a plain anchor is kept', () => {
  assert.equal(redactUrl('https://shop.example/cb#access_token=xyz&state=1'), 'https://shop.example/cb#access_token=[redacted]&state=1');
  assert.equal(redactUrl('https://shop.example/help#shipping'), 'https://shop.example/help#shipping');
});

test('relative URLs resolve against the page and encoded names are recognised', () => {
  assert.equal(redactUrl('/search?q=shoes&pass%77ord=x'), 'https://shop.example/search?q=shoes&pass%77ord=[redacted]');
});

test('a URL that cannot be parsed is not sent', () => {
  assert.equal(redactUrl('http://[bad'), '[invalid url]');
});
