import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildEnvelope } from '../../src/recorder/envelope.js';
import { fakeWindow } from '../support/page.js';
import { validate } from '../support/schema.js';

const session = { id: '0b8f7a52-6a3e-4c1e-9d0b-2f5a7c9e1d34', prev: null, user: null };
const config = { orgId: 'org_demo', privacyMode: 'mask-inputs', sampleRate: 100 };

before(() => {
  globalThis.location = new URL('https://shop.example/');
});

test('the envelope the recorder builds is a valid batch once events are added', () => {
  const envelope = buildEnvelope({ config, session, seq: 3, ended: false, win: fakeWindow() });
  assert.deepEqual(validate('batch', { ...envelope, events: [] }), []);
  assert.equal(envelope.seq, 3);
  assert.equal(envelope.meta.viewport.width, 1280);
});

test('the page URL is redacted and mask-all sends no title', () => {
  const win = fakeWindow({ href: 'https://shop.example/reset?token=s3cret', referrer: 'https://mail.example/?code=1' });
  const masked = buildEnvelope({ config: { ...config, privacyMode: 'mask-all' }, session, seq: 0, ended: true, win });
  assert.equal(masked.page.url, 'https://shop.example/reset?token=[redacted]');
  assert.equal(masked.page.referrer, 'https://mail.example/?code=[redacted]');
  assert.equal(masked.page.title, '');
  assert.equal(masked.ended, true);
});

test('a continued session names the previous one and the identified user', () => {
  const continued = { id: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', prev: session.id, user: { id: 'u1', traits: { plan: 'pro' } } };
  const envelope = buildEnvelope({ config, session: continued, seq: 0, ended: false, win: fakeWindow() });
  assert.equal(envelope.previous_session_id, session.id);
  assert.deepEqual(validate('batch', { ...envelope, events: [] }), []);
});

test('the envelope names the tab it comes from: a session spans tabs, each numbers its own batches', () => {
  const windowId = '7d1c0f4e-2b6a-4f0e-9c3d-5a8b1e2f3c4d';
  const envelope = buildEnvelope({ config, session, windowId, seq: 0, ended: false, win: fakeWindow() });
  assert.equal(envelope.window_id, windowId);
  assert.deepEqual(validate('batch', { ...envelope, events: [] }), []);
});
