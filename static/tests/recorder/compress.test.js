import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { createCompressor, gzip, workerUrlFor } from '../../src/recorder/compress.js';

const text = JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => ({ type: 3, i })) });
const unzip = (bytes) => gunzipSync(Buffer.from(bytes)).toString('utf8');

// A stand-in for the Worker: answers like replay-worker.js (or fails, or never answers).
function fakeWorker(behaviour = 'answer') {
  const worker = {
    posted: [],
    terminated: false,
    postMessage(message) {
      worker.posted.push(message);
      if (behaviour === 'answer') {
        gzip(message.text).then((bytes) => worker.onmessage({ data: { id: message.id, body: bytes.buffer } }));
      } else if (behaviour === 'error') {
        setImmediate(() => worker.onerror({ preventDefault() {} }));
      } else if (behaviour === 'cannot') {
        setImmediate(() => worker.onmessage({ data: { id: message.id, body: null } }));
      }
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return worker;
}

test('the worker URL sits beside replay.js, and only replay.js has one', () => {
  assert.equal(workerUrlFor('https://q.example/static/replay.js'), 'https://q.example/static/replay-worker.js');
  assert.equal(workerUrlFor('https://q.example/static/replay.js?v=3'), 'https://q.example/static/replay-worker.js?v=3');
  assert.equal(workerUrlFor('https://shop.example/assets/app.js'), null);
  assert.equal(workerUrlFor(undefined), null);
});

test('batches are compressed by the worker, started once, on the first batch', async () => {
  const workers = [];
  const compress = createCompressor({ url: 'https://q.example/replay-worker.js', spawn: () => workers[workers.push(fakeWorker()) - 1] });
  assert.equal(workers.length, 0, 'not before the first batch');
  const [a, b] = await Promise.all([compress(text), compress(text + ' ')]);
  assert.equal(workers.length, 1);
  assert.equal(workers[0].posted.length, 2);
  assert.equal(unzip(a), text);
  assert.equal(unzip(b), text + ' ');
});

test('a worker that fails hands its batches back to the main thread: none is lost', async () => {
  let fallbacks = 0;
  const worker = fakeWorker('error');
  const compress = createCompressor({
    url: 'https://q.example/replay-worker.js',
    spawn: () => worker,
    fallback: (t) => (fallbacks++, gzip(t)),
  });
  const bodies = await Promise.all([compress(text), compress(text)]);
  assert.deepEqual(bodies.map(unzip), [text, text]);
  assert.equal(fallbacks, 2);
  assert.ok(worker.terminated);
  assert.equal(unzip(await compress(text)), text, 'later batches on the main thread');
  assert.equal(worker.posted.length, 2, 'the failed worker gets no more');
});

test('a silent worker times out into the main thread', async () => {
  const compress = createCompressor({ url: 'https://q.example/replay-worker.js', spawn: () => fakeWorker('silent'), timeoutMs: 20 });
  assert.equal(unzip(await compress(text)), text);
});

test('no worker (none allowed, or no URL) means the main thread compresses', async () => {
  const blocked = createCompressor({ url: 'https://q.example/replay-worker.js', spawn: () => null });
  assert.equal(unzip(await blocked(text)), text);
  let spawned = 0;
  const none = createCompressor({ url: null, spawn: () => (spawned++, fakeWorker()) });
  assert.equal(unzip(await none(text)), text);
  assert.equal(spawned, 0);
});

test('a worker that cannot compress answers null and the page compresses that batch', async () => {
  const compress = createCompressor({ url: 'https://q.example/replay-worker.js', spawn: () => fakeWorker('cannot') });
  assert.equal(unzip(await compress(text)), text);
});
