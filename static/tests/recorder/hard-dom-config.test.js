import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { readConfig } from '../../src/recorder/config.js';

afterEach(() => {
  delete globalThis.location;
});

const tag = (attributes) => readConfig({ getAttribute: (name) => attributes[name] ?? null, src: '' });

test('canvas recording is off by default, on with data-record-canvas="true" or recordCanvas: true', () => {
  globalThis.location = new URL('https://shop.example/');
  const plain = tag({ 'data-org-id': 'o' });
  assert.deepEqual([plain.recordCanvas, plain.canvasFps], [false, 2]);
  const on = tag({ 'data-org-id': 'o', 'data-record-canvas': 'true', 'data-canvas-fps': '50' });
  assert.deepEqual([on.recordCanvas, on.canvasFps], [true, 10]); // at most 10 a second
  assert.equal(readConfig(null, { orgId: 'o', recordCanvas: true, canvasFps: 0.5 }).canvasFps, 0.5);
  assert.equal(readConfig(null, { orgId: 'o', recordCanvas: true }).recordCanvas, true);
});

test('mask-all never records canvas, whatever the attribute says', () => {
  globalThis.location = new URL('https://shop.example/');
  const strict = tag({ 'data-org-id': 'o', 'data-record-canvas': 'true', 'data-privacy-mode': 'mask-all' });
  assert.equal(strict.recordCanvas, false);
  assert.equal(readConfig(null, { orgId: 'o', recordCanvas: true, privacyMode: 'mask-all' }).recordCanvas, false);
});

test('frame origins are read as a list and the parent origin as one, without trailing slashes', () => {
  globalThis.location = new URL('https://app.example/');
  const page = tag({ 'data-org-id': 'o', 'data-cross-origin-iframes': 'https://a.example/, https://b.example' });
  assert.deepEqual([page.crossOriginIframes, page.parentOrigin], [['https://a.example', 'https://b.example'], '']);
  const frame = readConfig(null, { orgId: 'o', parentOrigin: 'https://app.example/' });
  assert.deepEqual([frame.crossOriginIframes, frame.parentOrigin], [[], 'https://app.example']);
});

test('only an exact http(s) origin is a frame or parent origin: "*" would post the frame\'s recording (or the session ID) to any page', () => {
  globalThis.location = new URL('https://app.example/');
  const page = tag({ 'data-org-id': 'o', 'data-cross-origin-iframes': '*, https://A.example:8443/, https://b.example/path, javascript:x, https://c.example?x' });
  assert.deepEqual(page.crossOriginIframes, ['https://A.example:8443']);
  for (const bad of ['*', 'https://*.example', 'https://app.example/frame', '//app.example', 'file://x']) {
    assert.equal(readConfig(null, { orgId: 'o', parentOrigin: bad }).parentOrigin, '', bad);
  }
  assert.equal(readConfig(null, { orgId: 'o', parentOrigin: 'https://app.example//' }).parentOrigin, 'https://app.example');
});
