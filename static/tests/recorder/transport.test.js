import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { createTransport } from '../../src/recorder/transport.js';
import { validate } from '../support/schema.js';
import { until } from '../support/wait.js';

const SESSION = '0b8f7a52-6a3e-4c1e-9d0b-2f5a7c9e1d34';
const T = Date.UTC(2026, 0, 1);

// An intake that records each request and answers when the test says so (or, once released,
// answers every request with 200 at once).
function intake() {
  const calls = [];
  let released = false;
  const fetch = (url, init) =>
    new Promise((resolve) => {
      calls.push({ url, init, body: decode(init.body), answer: resolve });
      if (released) resolve(reply(200));
    });
  const release = () => {
    released = true;
    for (const call of calls) call.answer(reply(200));
  };
  return { calls, fetch, release };
}

function decode(body) {
  const text = typeof body === 'string' ? body : gunzipSync(Buffer.from(body)).toString('utf8');
  return JSON.parse(text);
}

function reply(status, body = {}, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function transportFor(server, extra = {}) {
  let seq = 0;
  return createTransport({
    url: 'https://q.example/ingest/v1/replay?org=org_demo',
    fetch: server.fetch,
    envelope: (ended) => ({ org: 'org_demo', session_id: SESSION, previous_session_id: null, seq: seq++, sent_at: T, ended: !!ended, page: null, meta: null, user: null }),
    onFatal: () => {},
    onDropped: () => {},
    ...extra,
  });
}

const event = (i, size = 10) => ({ type: 3, data: { source: 1, pad: 'x'.repeat(size) }, timestamp: T + i });

test('events flushed together go out as one valid batch, in order', async () => {
  const server = intake();
  const transport = transportFor(server);
  for (let i = 0; i < 5; i++) transport.push(event(i));
  transport.flush();
  await until(() => server.calls.length === 1);
  const [call] = server.calls;
  assert.deepEqual(validate('batch', call.body), []);
  assert.deepEqual(call.body.events.map((e) => e.timestamp - T), [0, 1, 2, 3, 4]);
  assert.equal(call.init.credentials, 'omit');
  call.answer(reply(200, { ok: true }));
  await until(() => transport.pending() === 0);
});

test('nothing is sent while there is nothing to send', async () => {
  const server = intake();
  const transport = transportFor(server);
  transport.flush();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.calls.length, 0);
});

test('a full buffer is cut into a batch without waiting for the flush timer', async () => {
  const server = intake();
  const transport = transportFor(server);
  for (let i = 0; i < 5; i++) transport.push(event(i, 128 * 1024));
  await until(() => server.calls.length === 1);
  assert.equal(server.calls[0].body.events.length, 4, 'cut at 512 KB');
  assert.equal(transport.pending(), 2, 'the batch in flight and the fifth event');
});

test('one batch is in flight at a time and they arrive in seq order', async () => {
  const server = intake();
  const transport = transportFor(server);
  transport.push(event(0));
  transport.flush();
  transport.push(event(1));
  transport.flush();
  await until(() => server.calls.length === 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.calls.length, 1, 'the second batch waits for the first');
  server.calls[0].answer(reply(200));
  await until(() => server.calls.length === 2);
  assert.deepEqual(server.calls.map((c) => c.body.seq), [0, 1]);
});

test('a rate-limited batch is retried as it was, after Retry-After', async () => {
  const server = intake();
  const transport = transportFor(server);
  transport.push(event(0));
  transport.flush();
  await until(() => server.calls.length === 1);
  server.calls[0].answer(reply(429, { error: { code: 'rate_limited' } }, { 'Retry-After': '0' }));
  await until(() => server.calls.length === 2);
  assert.deepEqual(server.calls[1].body, server.calls[0].body);
  server.calls[1].answer(reply(200));
  await until(() => transport.pending() === 0);
});

test('a refused batch stops the recorder and says why, once', async () => {
  const server = intake();
  const fatal = [];
  const transport = transportFor(server, { onFatal: (status, err) => fatal.push([status, err.code]) });
  transport.push(event(0));
  transport.flush();
  await until(() => server.calls.length === 1);
  server.calls[0].answer(reply(400, { error: { code: 'invalid_seq', message: 'bad' } }));
  await until(() => transport.isDead());
  assert.deepEqual(fatal, [[400, 'invalid_seq']]);
  transport.push(event(1));
  transport.flush();
  assert.equal(transport.pending(), 0);
});

test('being over the plan is final, unlike a rate limit', async () => {
  const server = intake();
  const transport = transportFor(server);
  transport.push(event(0));
  transport.flush();
  await until(() => server.calls.length === 1);
  server.calls[0].answer(reply(429, { error: { code: 'quota_exceeded' } }, { 'Retry-After': '0' }));
  await until(() => transport.isDead());
  assert.equal(server.calls.length, 1);
});

test('past the memory bound DOM events are dropped, then a dropped marker and a new snapshot follow', async () => {
  const server = intake();
  let snapshots = 0;
  const transport = transportFor(server, { onDropped: () => snapshots++ });
  // 33 × 1 MB while the intake does not answer: the 32 MB bound is hit.
  for (let i = 0; i < 33; i++) transport.push(event(i, 1024 * 1024));
  transport.push({ type: 5, data: { tag: 'qorrelate.console', payload: { level: 'error', message: 'kept' } }, timestamp: T + 20 });
  transport.push(event(99)); // dropped: DOM events wait for the next full snapshot
  assert.equal(snapshots, 0);
  server.release();
  await until(() => snapshots === 1, 120000); // 32 MB to gzip and decode first
  transport.flush();
  await until(() => server.calls.some((c) => c.body.events.some((e) => e.data && e.data.tag === 'qorrelate.dropped')), 120000);
  const sent = server.calls.flatMap((c) => c.body.events);
  const marker = sent.find((e) => e.data && e.data.tag === 'qorrelate.dropped');
  assert.equal(marker.data.payload.reason, 'buffer_full');
  assert.ok(marker.data.payload.count >= 2);
  assert.ok(sent.some((e) => e.data && e.data.payload && e.data.payload.message === 'kept'));
  assert.ok(!sent.some((e) => e.timestamp === T + 99));
});

test('one event larger than the memory bound is still sent when nothing else waits', async () => {
  const server = intake();
  let snapshots = 0;
  const transport = transportFor(server, { onDropped: () => snapshots++ });
  transport.push(event(0, 40 * 1024 * 1024));
  transport.flush();
  await until(() => server.calls.length === 1, 120000); // 40 MB to gzip first
  assert.equal(server.calls[0].body.events[0].data.pad.length, 40 * 1024 * 1024);
  server.release();
  await until(() => transport.pending() === 0);
  assert.equal(snapshots, 0);
});
