import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WINDOW_MS, MAX_BUFFER_BYTES, createBuffer, isTrigger } from '../../src/recorder/buffer.js';
import { serialize } from '../../src/recorder/transport.js';

const META = 4;
const FULL = 2;
const MOVE = 3;
const CUSTOM = 5;

function event(type, timestamp, extra) {
  return { type, timestamp, data: extra || {} };
}

// Feeds events to the buffer as the recorder does (serialized once) and drains it to a list.
function feed(buffer, events) {
  for (const e of events) buffer.push(serialize(e), e.type, e.timestamp);
}
function drained(buffer) {
  const out = [];
  buffer.drain((s, type, timestamp) => out.push({ ...JSON.parse(s), type, timestamp }));
  return out;
}
function checkout(t) {
  return [event(META, t), event(FULL, t + 1)];
}

test('the default window is 60 s and the byte bound 4 MB', () => {
  assert.equal(DEFAULT_WINDOW_MS, 60000);
  assert.equal(MAX_BUFFER_BYTES, 4 * 1024 * 1024);
});

test('what is older than the window goes, a snapshot at a time, so the buffer starts at a snapshot', () => {
  const buffer = createBuffer({ windowMs: 60000 });
  feed(buffer, [...checkout(0), event(MOVE, 30000), ...checkout(60000), event(MOVE, 90000)]);
  // At 90 s the second snapshot (60 s) is only 30 s old: the first is still needed.
  assert.equal(buffer.start(), 0);
  feed(buffer, [...checkout(120000), event(MOVE, 150000)]);
  // At 150 s the 60 s snapshot is older than the window: everything before it goes.
  const out = drained(buffer);
  assert.deepEqual(out.map((e) => [e.type, e.timestamp]), [
    [META, 60000], [FULL, 60001], [MOVE, 90000], [META, 120000], [FULL, 120001], [MOVE, 150000],
  ]);
  assert.ok(150000 - out[0].timestamp >= 60000, 'the replay starts at least a window before the trigger');
});

test('an idle page keeps its only snapshot however old it is', () => {
  const buffer = createBuffer({ windowMs: 1000 });
  feed(buffer, [...checkout(0), event(CUSTOM, 500000, { tag: 'qorrelate.error' })]);
  assert.deepEqual(drained(buffer).map((e) => e.timestamp), [0, 1, 500000]);
});

test('DOM events before the first snapshot are not kept, timeline entries are', () => {
  const buffer = createBuffer({ windowMs: 60000 });
  feed(buffer, [event(CUSTOM, 1, { tag: 'qorrelate.navigation' }), event(MOVE, 2), ...checkout(3)]);
  assert.deepEqual(drained(buffer).map((e) => e.type), [CUSTOM, META, FULL]);
});

test('past the byte bound the oldest snapshots go first', () => {
  const big = 'x'.repeat(400);
  const buffer = createBuffer({ windowMs: 10 * 60000, maxBytes: 1200 });
  feed(buffer, [event(META, 0), event(FULL, 1, { big }), event(META, 10), event(FULL, 11, { big }), event(META, 20), event(FULL, 21, { big })]);
  assert.ok(buffer.bytes() <= 1200);
  assert.equal(buffer.start(), 10);
  feed(buffer, [event(META, 30), event(FULL, 31, { big })]);
  assert.equal(buffer.start(), 20);
  assert.ok(buffer.bytes() <= 1200);
});

test('a segment past half the bound asks for a snapshot once, and the old segment goes past the bound', () => {
  let asked = 0;
  const buffer = createBuffer({ windowMs: 10 * 60000, maxBytes: 1000, onSnapshotNeeded: () => asked++ });
  feed(buffer, [event(META, 0), event(FULL, 1, { big: 'x'.repeat(300) })]);
  assert.equal(asked, 0);
  feed(buffer, [event(MOVE, 2, { big: 'x'.repeat(300) }), event(MOVE, 3)]);
  assert.equal(asked, 1, 'asked once, not again while the snapshot is on its way');
  feed(buffer, [event(META, 4), event(FULL, 5, { big: 'x'.repeat(100) })]);
  assert.equal(buffer.start(), 0);
  feed(buffer, [event(MOVE, 6, { big: 'x'.repeat(200) })]);
  assert.equal(buffer.start(), 4, 'past the bound the older segment went, the newer stays');
  assert.ok(buffer.bytes() <= 1000);
});

test('one snapshot larger than the bound is dropped whole and a new one is asked for', () => {
  let asked = 0;
  const buffer = createBuffer({ maxBytes: 1000, onSnapshotNeeded: () => asked++ });
  feed(buffer, [event(META, 0), event(FULL, 1, { big: 'x'.repeat(2000) }), event(MOVE, 2)]);
  assert.equal(asked, 1);
  assert.equal(buffer.bytes(), 0);
  feed(buffer, [event(CUSTOM, 3), event(META, 4), event(FULL, 5)]);
  assert.deepEqual(drained(buffer).map((e) => e.type), [CUSTOM, META, FULL]);
});

test('draining hands the events over in order once, and the buffer is empty after', () => {
  const buffer = createBuffer();
  feed(buffer, [...checkout(0), event(MOVE, 5), event(CUSTOM, 6, { tag: 'qorrelate.error' })]);
  const first = drained(buffer);
  assert.deepEqual(first.map((e) => e.timestamp), [0, 1, 5, 6]);
  assert.deepEqual(drained(buffer), []);
});

test('errors, failed own-API requests and the backend error header trigger; other requests do not', () => {
  assert.equal(isTrigger('qorrelate.error', { kind: 'error' }), true);
  assert.equal(isTrigger('qorrelate.network', { status: 500, session_header: true }), true);
  assert.equal(isTrigger('qorrelate.network', { status: 0, session_header: true }), true);
  assert.equal(isTrigger('qorrelate.network', { status: 200, backend_error: true }), true);
  assert.equal(isTrigger('qorrelate.network', { status: 503, session_header: false }), false, 'a third party failing is not our error');
  assert.equal(isTrigger('qorrelate.network', { status: 404, session_header: true }), false);
  assert.equal(isTrigger('qorrelate.console', { level: 'error' }), false);
});
