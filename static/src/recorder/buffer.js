// Replay on error (data-record="on-error"): events wait in memory, in front of the transport,
// and nothing is uploaded until a trigger. The buffer is a list of segments, each beginning at
// a full snapshot (rrweb's Meta event, then FullSnapshot; the recorder asks rrweb for one every
// window), so whatever is dropped from the front, what is left still starts at a snapshot.

export const DEFAULT_WINDOW_MS = 60 * 1000;
// Serialized characters kept at most (about 4 MB of JSON; twice that of heap at worst, as
// UTF-16). A segment that alone passes half of it asks for a new snapshot early, so past the
// bound the oldest segment goes and the newest half or more stays; a single segment larger than
// the bound (the snapshot did not come) is dropped whole.
export const MAX_BUFFER_BYTES = 4 * 1024 * 1024;
const META = 4;
const INCREMENTAL = 3;

// What starts the upload: an uncaught error or rejection, a failed request to the page's own
// API (5xx or a network error on a request that carried the session header), or a response
// with the backend SDKs' error header (network.js: backend_error).
export function isTrigger(tag, payload) {
  if (tag === 'qorrelate.error') return true;
  if (tag !== 'qorrelate.network' || !payload) return false;
  return !!payload.backend_error || (!!payload.session_header && (payload.status === 0 || payload.status >= 500));
}

// onSnapshotNeeded(): a new full snapshot (checkout) should follow, to start a new segment.
export function createBuffer({ windowMs = DEFAULT_WINDOW_MS, maxBytes = MAX_BUFFER_BYTES, onSnapshotNeeded = () => {} } = {}) {
  let segments = []; // {start, items: [[serialized, type, timestamp]], bytes}
  let bytes = 0;
  let needSnapshot = true; // DOM events are useless until a snapshot (at first, after a drop)
  let asked = false; // a snapshot was asked for and has not come yet

  function dropFirst() {
    bytes -= segments[0].bytes;
    segments.shift();
  }

  function push(serialized, type, timestamp) {
    if (type === META) {
      needSnapshot = false;
      asked = false;
      segments.push({ start: timestamp, items: [], bytes: 0 });
    } else if (needSnapshot && type === INCREMENTAL) {
      return;
    } else if (!segments.length) {
      segments.push({ start: timestamp, items: [], bytes: 0 });
    }
    const last = segments[segments.length - 1];
    last.items.push([serialized, type, timestamp]);
    last.bytes += serialized.length;
    bytes += serialized.length;
    // The oldest segment goes once the next one alone covers the window.
    while (segments.length > 1 && segments[1].start <= timestamp - windowMs) dropFirst();
    while (segments.length > 1 && bytes > maxBytes) dropFirst();
    if (bytes > maxBytes) {
      segments = [];
      bytes = 0;
      needSnapshot = true;
      asked = true;
      onSnapshotNeeded();
    } else if (!asked && last.bytes > maxBytes / 2) {
      asked = true;
      onSnapshotNeeded();
    }
  }

  // Hands every buffered event to sink(serialized, type, timestamp), oldest first, and empties.
  function drain(sink) {
    const all = segments;
    segments = [];
    bytes = 0;
    for (const segment of all) for (const item of segment.items) sink(item[0], item[1], item[2]);
  }

  return {
    push,
    drain,
    clear: () => {
      segments = [];
      bytes = 0;
      needSnapshot = true;
    },
    bytes: () => bytes,
    start: () => (segments.length ? segments[0].start : null),
  };
}
