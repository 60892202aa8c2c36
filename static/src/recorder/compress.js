// gzip for batch bodies, in a Web Worker when one can be started, so compression costs the
// page's main thread nothing. The worker is a separate file next to replay.js
// (replay-worker.js, built by static/build.mjs), started on the first batch. Whenever the worker
// is missing, blocked (CSP) or silent, the batch is compressed on the main thread instead: a
// batch's text is kept until its body is back, so nothing is ever lost to the worker.

export function gzip(text) {
  if (typeof CompressionStream === 'undefined') return Promise.resolve(null);
  try {
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then((buf) => new Uint8Array(buf), () => null);
  } catch (e) {
    return Promise.resolve(null);
  }
}

// The worker's URL for a replay.js script URL (…/replay.js → …/replay-worker.js), or null for
// any other script (the npm package, bundled into the customer's own code, has none).
export function workerUrlFor(scriptSrc) {
  const m = /^([^?#]*\/)replay\.js([?#].*)?$/.exec(scriptSrc || '');
  return m ? m[1] + 'replay-worker.js' + (m[2] || '') : null;
}

// A worker's script must have the page's origin: when replay.js comes from elsewhere (the
// Qorrelate host), a one-line worker from a blob: URL imports it. Either may throw (CSP).
function spawnWorker(url) {
  if (typeof Worker === 'undefined' || typeof location === 'undefined') return null;
  try {
    if (new URL(url, location.href).origin === location.origin) return new Worker(url);
    const shim = new Blob(['importScripts(' + JSON.stringify(url) + ')'], { type: 'text/javascript' });
    return new Worker(URL.createObjectURL(shim));
  } catch (e) {
    return null;
  }
}

// compress(text) → Promise of the gzip bytes (or null: send the text as it is).
export function createCompressor({ url, spawn = spawnWorker, fallback = gzip, timeoutMs = 15000 } = {}) {
  let worker = null;
  let broken = !url;
  let nextId = 0;
  const jobs = new Map(); // id → { text, resolve, timer }, until the worker answers

  function finish(id, body) {
    const job = jobs.get(id);
    if (!job) return; // answered after a fallback: already resolved
    jobs.delete(id);
    clearTimeout(job.timer);
    job.resolve(body ? new Uint8Array(body) : fallback(job.text));
  }

  // From now on the main thread compresses, including every batch the worker still holds.
  function fail(e) {
    if (e && e.preventDefault) e.preventDefault(); // not the page's error (nor our console capture's)
    broken = true;
    if (worker) {
      try {
        worker.terminate();
      } catch (err) {
        /* gone already */
      }
    }
    worker = null;
    const pending = Array.from(jobs.values());
    jobs.clear();
    pending.forEach((job) => {
      clearTimeout(job.timer);
      job.resolve(fallback(job.text));
    });
  }

  function start() {
    worker = spawn(url);
    if (!worker) {
      broken = true;
      return;
    }
    worker.onmessage = (e) => finish(e.data && e.data.id, e.data && e.data.body);
    worker.onerror = fail;
    worker.onmessageerror = fail;
  }

  return function compress(text) {
    if (!broken && !worker) start();
    if (broken) return fallback(text);
    return new Promise((resolve) => {
      const id = ++nextId;
      jobs.set(id, { text, resolve, timer: setTimeout(fail, timeoutMs) });
      try {
        worker.postMessage({ id, text });
      } catch (e) {
        fail();
      }
    });
  };
}
