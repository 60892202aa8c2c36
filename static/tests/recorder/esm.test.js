import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { API_METHODS, exposeInertApi } from '../../src/recorder/api.js';
import { readConfig } from '../../src/recorder/config.js';
import * as esm from '../../src/recorder/esm.js';
import { optionReader } from '../../src/recorder/options.js';

afterEach(() => {
  delete globalThis.window;
});

test("the npm package exports init and exactly window.qorrelate's methods", () => {
  const { init, ...methods } = esm;
  assert.equal(typeof init, 'function');
  assert.deepEqual(Object.keys(methods).sort(), Object.keys(API_METHODS).sort());
});

test('before init the exports answer what the inert handle answers, and never throw', () => {
  globalThis.window = {};
  const inert = exposeInertApi('qorrelate-js/test');
  delete globalThis.window.qorrelate;
  for (const name of Object.keys(API_METHODS)) {
    assert.deepEqual(esm[name]('x'), inert[name]('x'), name);
  }
});

test('once a recorder runs, the exports call its handle', () => {
  const calls = [];
  globalThis.window = {
    qorrelate: { version: 'qorrelate-js/test', identify: (...a) => calls.push(a), getSessionId: () => 'sid-1' },
  };
  esm.identify('user-1', { plan: 'pro' });
  assert.deepEqual(calls, [['user-1', { plan: 'pro' }]]);
  assert.equal(esm.getSessionId(), 'sid-1');
  assert.equal(esm.init({ orgId: 'org_other' }), globalThis.window.qorrelate); // started already
});

test('init without an orgId or without a window records nothing', () => {
  assert.equal(esm.init({ orgId: 'org_demo' }), null); // server-side rendering
  globalThis.window = {};
  const original = console.error;
  const errors = [];
  console.error = (message) => errors.push(message);
  try {
    assert.equal(esm.init({ privacyMode: 'mask-all' }), null);
  } finally {
    console.error = original;
  }
  assert.match(errors[0], /init\(\) needs \{ orgId \}/);
});

test("each option is the script tag's data-* attribute of the same name in camelCase", () => {
  const attr = optionReader({ privacyMode: ' mask-all ', sampleRate: 25, propagateTo: ['https://api.shop', '/v2'], traceparent: false, endpoint: null });
  assert.equal(attr('privacy-mode'), 'mask-all');
  assert.equal(attr('sample-rate'), '25');
  assert.equal(attr('propagate-to'), 'https://api.shop,/v2');
  assert.equal(attr('traceparent'), 'false');
  assert.equal(attr('endpoint'), null);
  assert.equal(attr('org-id'), null);
});

test('init options and the same data-* attributes give the same configuration', () => {
  globalThis.location = new URL('https://shop.example/checkout');
  globalThis.window = { location: globalThis.location };
  const attributes = {
    'data-org-id': 'org_demo',
    'data-privacy-mode': 'mask-all',
    'data-sample-rate': '25',
    'data-propagate-to': 'https://api.shop.example',
    'data-flush-interval': '800',
  };
  const script = { getAttribute: (name) => attributes[name] ?? null, src: 'https://q.example/static/replay.js' };
  const options = {
    orgId: 'org_demo',
    privacyMode: 'mask-all',
    sampleRate: 25,
    propagateTo: ['https://api.shop.example'],
    flushInterval: 800,
    endpoint: 'https://q.example', // the tag defaults to its own origin; the module cannot
  };
  const fromTag = readConfig(script);
  assert.deepEqual(readConfig(null, options), fromTag);
  assert.deepEqual([fromTag.privacyMode, fromTag.sampleRate, fromTag.flushIntervalMs], ['mask-all', 25, 800]);
});

test('replay on error and network details read the same from options and attributes, with their defaults', () => {
  globalThis.location = new URL('https://shop.example/checkout');
  const tag = (attributes) => readConfig({ getAttribute: (name) => attributes[name] ?? null, src: '' });
  const plain = tag({ 'data-org-id': 'org_demo' });
  assert.deepEqual([plain.record, plain.sampleRate, plain.bufferWindowMs, plain.networkDetails], ['always', 100, 60000, []]);
  const attributes = {
    'data-org-id': 'org_demo',
    'data-record': 'on-error',
    'data-buffer-window': '20000',
    'data-network-details': '/api/*, https://pay.example/v1/*',
  };
  const fromTag = tag(attributes);
  const fromInit = readConfig(null, { orgId: 'org_demo', record: 'on-error', bufferWindow: 20000, networkDetails: ['/api/*', 'https://pay.example/v1/*'] });
  for (const config of [fromTag, fromInit]) {
    assert.deepEqual(
      [config.record, config.sampleRate, config.bufferWindowMs, config.networkDetails],
      ['on-error', 0, 20000, ['/api/*', 'https://pay.example/v1/*']],
      'on error, every session is buffered unless a sample rate says otherwise',
    );
  }
  assert.equal(tag({ ...attributes, 'data-sample-rate': '10' }).sampleRate, 10);
});
