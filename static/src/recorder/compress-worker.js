// replay-worker.js: gzips batch bodies off the page's main thread (compress.js starts it).
// In: { id, text }. Out: { id, body } with the gzip bytes transferred, or body null when this
// browser cannot compress here (the page then compresses the batch itself).
import { gzip } from './compress.js';

self.onmessage = (e) => {
  const { id, text } = e.data || {};
  gzip(text).then((bytes) => {
    if (bytes) self.postMessage({ id, body: bytes.buffer }, [bytes.buffer]);
    else self.postMessage({ id, body: null });
  });
};
