// Batches events and sends them to the intake in order, one batch in flight at a time.
// Events are serialized once, when they are recorded; a batch body is the envelope with the
// already-serialized events spliced in, gzip-compressed by `compress` (compress.js: in a Web
// Worker when there is one, else CompressionStream on the main thread) where available.
import { gzip } from './compress.js';

const BATCH_BYTES = 512 * 1024;
// In-memory bound for the buffer plus the batches waiting for the intake. One re-render of a
// 10,000-row table is a single rrweb event of ~9 MB (benchmarks/recorder/spa.html): the bound
// leaves room for a few of them in flight, and an event is always taken when nothing else waits.
const MAX_PENDING_BYTES = 32 * 1024 * 1024;
const KEEPALIVE_LIMIT = 60 * 1024; // browsers cap in-flight keepalive bodies at 64 KiB
const MAX_BACKOFF_MS = 5 * 60 * 1000;

export function serialize(event) {
  try {
    return JSON.stringify(event);
  } catch (e) {
    return null; // a page-supplied payload that cannot be serialized (cycles, BigInt)
  }
}

function byteLength(body) {
  return typeof body === 'string' ? body.length : body.byteLength;
}

function retryAfterMs(res) {
  const v = res.headers.get('retry-after');
  if (!v) return null;
  const seconds = parseFloat(v);
  if (isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function readError(res) {
  return res
    .json()
    .then((body) => (body && body.error) || {}, () => ({}))
    .then((err) => ({ code: err.code || '', message: err.message || '' }));
}

export function createTransport({ url, fetch, envelope, onFatal, onDropped, compress = gzip }) {
  let buffer = []; // serialized events not yet in a batch
  let bufferBytes = 0;
  const queue = []; // batches, oldest first
  let queuedBytes = 0;
  let sending = false;
  let retryTimer = null;
  let attempts = 0;
  let dropped = 0;
  let droppedSince = 0;
  let dead = false;

  function push(event) {
    if (dead) return;
    const s = serialize(event);
    if (s) pushSerialized(s, event.type, event.timestamp);
  }

  // An event serialized already (by the replay-on-error buffer, which measures what it keeps).
  function pushSerialized(s, type, timestamp) {
    if (dead) return;
    // Once events are lost the DOM stream cannot be replayed until the next full snapshot, so
    // only timeline entries (custom events) are kept until memory is back under half the bound.
    const waiting = bufferBytes + queuedBytes;
    if ((dropped && type !== 5) || (waiting && waiting + s.length > MAX_PENDING_BYTES)) {
      if (!dropped) droppedSince = timestamp || Date.now();
      dropped++;
      return;
    }
    buffer.push(s);
    bufferBytes += s.length;
    if (bufferBytes >= BATCH_BYTES) flush();
  }

  function recoverIfRoom() {
    if (!dropped || bufferBytes + queuedBytes > MAX_PENDING_BYTES / 2) return;
    const marker = JSON.stringify({
      type: 5,
      data: { tag: 'qorrelate.dropped', payload: { count: dropped, reason: 'buffer_full' } },
      timestamp: droppedSince,
    });
    dropped = 0;
    buffer.push(marker);
    bufferBytes += marker.length;
    onDropped();
  }

  // Cuts the buffer into a batch for the current session; returns it (not yet sent).
  function cut(ended) {
    if (!buffer.length && !ended) return null;
    const env = envelope(ended);
    const raw = JSON.stringify(env).slice(0, -1) + ',"events":[' + buffer.join(',') + ']}';
    buffer = [];
    bufferBytes = 0;
    const batch = { seq: env.seq, raw, body: null, keepalive: false, bytes: raw.length };
    batch.ready = compress(raw).then((gz) => {
      batch.body = gz && gz.byteLength < raw.length ? gz : raw;
      batch.raw = null;
    });
    queue.push(batch);
    queuedBytes += batch.bytes;
    return batch;
  }

  function settle(batch) {
    const i = queue.indexOf(batch);
    if (i >= 0) {
      queue.splice(i, 1);
      queuedBytes -= batch.bytes;
    }
  }

  function retryLater(ms) {
    attempts++;
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, attempts - 1)) * (0.5 + Math.random() / 2);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      pump();
    }, ms == null ? backoff : Math.min(ms, MAX_BACKOFF_MS));
  }

  function die(status, err) {
    dead = true;
    queue.length = 0;
    queuedBytes = 0;
    buffer = [];
    bufferBytes = 0;
    onFatal(status, err);
  }

  function pump() {
    if (sending || retryTimer || dead || !queue.length) return;
    sending = true;
    const batch = queue[0];
    batch.ready
      .then(() => {
        const body = batch.body;
        batch.keepalive = byteLength(body) <= KEEPALIVE_LIMIT;
        return fetch(url, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/json' },
          keepalive: batch.keepalive,
          mode: 'cors',
          credentials: 'omit',
        }).then(
          (res) => res,
          () => null,
        );
      })
      .then((res) => {
        if (res && res.ok) {
          // Read the reply: Chromium counts a keepalive request against its 64 KB in-flight
          // quota until its response is consumed, and the next keepalive batch then fails.
          if (res.body) res.arrayBuffer().catch(() => null);
          attempts = 0;
          settle(batch);
          recoverIfRoom();
          return null;
        }
        const status = res ? res.status : 0;
        if (status === 429 || status === 0 || status >= 500) {
          return (res ? readError(res) : Promise.resolve({})).then((err) => {
            // Over plan: final, unlike a rate limit.
            if (err.code === 'quota_exceeded') die(status, err);
            else retryLater(res ? retryAfterMs(res) : null);
          });
        }
        return readError(res).then((err) => die(status, err));
      })
      .then(
        () => {
          sending = false;
          pump();
        },
        () => {
          sending = false;
        },
      );
  }

  function flush(ended) {
    if (dead) return;
    cut(ended);
    pump();
  }

  // The page is going away: no time for compression or for waiting on replies. Whatever has not
  // been acknowledged goes out now, in order, with keepalive fetch or sendBeacon (the server
  // keeps one copy per (session_id, seq), so a batch that was already in flight is harmless).
  function flushNow(ended) {
    if (dead) return;
    cut(ended);
    queue.slice().forEach((batch) => {
      if (sending && batch === queue[0] && batch.keepalive) return;
      const body = batch.body || batch.raw;
      let sent = false;
      if (byteLength(body) <= KEEPALIVE_LIMIT) {
        try {
          fetch(url, {
            method: 'POST',
            body,
            headers: { 'Content-Type': 'application/json' },
            keepalive: true,
            mode: 'cors',
            credentials: 'omit',
          }).catch(() => null);
          sent = true;
        } catch (e) {
          sent = false;
        }
      }
      if (!sent && navigator.sendBeacon) {
        try {
          navigator.sendBeacon(url, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
        } catch (e) {
          /* nothing more can be done for this batch */
        }
      }
      settle(batch);
    });
  }

  return {
    push,
    pushSerialized,
    flush,
    flushNow,
    pending: () => buffer.length + queue.length,
    isDead: () => dead,
  };
}
