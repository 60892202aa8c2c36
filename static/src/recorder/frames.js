// Cross-origin iframes, one session: the recorder inside the frame (its tag has
// data-parent-origin) uploads nothing; it posts its events, masked by its own privacy mode, to
// its parent in rrweb's cross-origin message format, and only to a parent of that origin. The
// parent's recorder (data-cross-origin-iframes lists the frames' origins) hands them to rrweb,
// which takes them only from iframes that are in the page it records and gives their nodes ids
// of its own. Same-origin iframes need none of this: rrweb records them with the page.
const RANK = ['mask-sensitive', 'mask-inputs', 'mask-all'];
const SNAPSHOT = 'qorrelate.snapshot';

// The parent page. Messages from other origins, and from a frame whose recorder masks less than
// this page, never reach rrweb. A frame's recorder may start before this page's rrweb knows the
// frame (its first snapshot is then dropped by rrweb): each frame is asked for a new snapshot
// once, a second after its first message (mutations reach rrweb within COALESCE_MS), and all of
// them after each full snapshot of this page, so a replay starting there shows the frames too.
// The request carries this page's session ID (only to the listed origins): the frame's requests
// carry it from then on. Returns what to call after a full snapshot.
export function acceptFrames(origins, mode, sessionId) {
  const asked = new WeakSet();
  const ask = (win, origin) => {
    try {
      win.postMessage({ type: SNAPSHOT, session: sessionId() }, origin);
    } catch (e) {
      /* gone */
    }
  };
  const check = (m) => {
    const d = m.data;
    if (!d || d.type !== 'rrweb') return;
    if (origins.indexOf(m.origin) < 0 || RANK.indexOf(d.mode) < RANK.indexOf(mode)) return m.stopImmediatePropagation();
    if (m.source && !asked.has(m.source)) {
      asked.add(m.source);
      setTimeout(() => ask(m.source, m.origin), 1000);
    }
  };
  // A same-origin frame's document is readable (and recorded by rrweb itself): not asked.
  const snapshot = () => document.querySelectorAll('iframe').forEach((f) => f.contentDocument || origins.forEach((o) => ask(f.contentWindow, o)));
  // The check, before rrweb's listener (capture), on this page's window and on each same-origin
  // frame's, where rrweb also takes frames' messages (a cross-origin frame nested in it), from
  // the moment rrweb attaches the frame (its mutation, isAttachIframe, emitted just before).
  (snapshot.watch = (win) => win.addEventListener('message', check, true))(window);
  return snapshot;
}

// The recorder inside a frame: undefined when it is not one (its tag has no data-parent-origin,
// or it is the top page), false when its parent is of its own origin (the parent's rrweb records
// this document itself), else the sink that posts each event to the parent. `snapshot` is called
// when the parent asks for a new full snapshot; sink.session() is the parent's session ID, once
// the parent has sent it.
export function parentSink(config, snapshot) {
  const origin = config.parentOrigin;
  if (!origin || window.parent === window) return undefined;
  try {
    if (window.parent.document) return false;
  } catch (e) {
    /* cross-origin parent: the frame posts to it */
  }
  let session = null;
  addEventListener('message', (m) => {
    if (m.source === window.parent && m.origin === origin && m.data && m.data.type === SNAPSHOT) {
      session = m.data.session;
      snapshot();
    }
  });
  const sink = (event) => window.parent.postMessage({ type: 'rrweb', event, origin: location.origin, mode: config.privacyMode }, origin);
  sink.session = () => session;
  return sink;
}
