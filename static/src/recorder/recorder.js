// The rrweb part: DOM snapshots and mutations, throttled pointer and scroll, masked inputs.
import { record } from '@rrweb/record';
import { createAttributeMasker } from './attributes.js';
import { rrwebPrivacyOptions } from './privacy.js';

// Mutation bursts are coalesced: once a mutation event is out, rrweb's mutation buffers are
// frozen for COALESCE_MS and the DOM changes of that window go out as one event when they thaw.
// A node added and removed again inside the window is never serialized, an attribute set five
// times is sent once. Any other rrweb event (a click, a scroll, an input, a snapshot) thaws the
// buffers first (rrweb does so itself), so DOM changes and interactions keep their order; a DOM
// change is at most COALESCE_MS late on the timeline. Stopping and leaving the page thaw too.
export const COALESCE_MS = 500;
const THAW = 'qorrelate.thaw'; // a custom event that only thaws rrweb's buffers; never sent

let thawNow = () => {};

// The recorder's own timeline events (network, console, forms) do not pass through rrweb: before
// one is recorded, the DOM changes held back so far go out, so they keep their order. Long tasks
// and vitals are reports about the past (their timestamps say when): they do not thaw, or on a
// busy page every long task would end the coalescing.
const NO_THAW = ['qorrelate.longtask', 'qorrelate.vital'];
export function thawMutations(tag) {
  if (NO_THAW.indexOf(tag) < 0) thawNow();
}

// rrweb's ids of the recorded nodes (the canvas chunk maps its canvases to them).
export const mirror = record.mirror;

// frames: rrweb takes events of cross-origin iframes (their own recorders post them, frames.js).
export function startRrweb({ privacyMode, emit, checkoutIntervalMs, frames, coalesceMs = COALESCE_MS }) {
  const options = rrwebPrivacyOptions(privacyMode);
  const maskAttributes = createAttributeMasker(privacyMode, record.mirror);
  let thawTimer = null;
  const thaw = () => {
    clearTimeout(thawTimer);
    thawTimer = null;
    try {
      record.addCustomEvent(THAW, null);
    } catch (e) {
      /* not recording */
    }
  };
  thawNow = () => {
    if (thawTimer) thaw();
  };
  const thawIfHidden = () => {
    if (document.visibilityState === 'hidden') thaw();
  };
  const stop = record({
    emit: (event, checkout) => {
      if (event.type === 5 && event.data && event.data.tag === THAW) return;
      if (coalesceMs > 0 && event.type === 3 && event.data && event.data.source === 0) {
        record.freezePage();
        if (!thawTimer) thawTimer = setTimeout(thaw, coalesceMs);
      }
      emit(maskAttributes(event), checkout);
    },
    ...options,
    sampling: {
      mousemove: 100,
      scroll: 150,
      media: 800,
      input: 'last',
      mouseInteraction: { MouseUp: false, MouseDown: false, TouchStart: false, TouchEnd: false },
    },
    slimDOMOptions: 'all',
    inlineStylesheet: true,
    recordCanvas: false, // the canvas chunk records canvas (canvas.js)
    recordCrossOriginIframes: !!frames,
    collectFonts: false,
    // rrweb checks this on each incremental event: once one comes more than N ms after the last
    // full snapshot, it takes a new one (Meta + FullSnapshot). An idle page costs nothing.
    checkoutEveryNms: checkoutIntervalMs || undefined,
    // rrweb's own internal errors are swallowed rather than thrown into the page.
    errorHandler: () => true,
  });
  if (!stop) return stop;
  // Before the recorder's own pagehide / visibilitychange listeners flush the transport.
  window.addEventListener('pagehide', thaw, true);
  document.addEventListener('visibilitychange', thawIfHidden, true);
  return () => {
    thaw();
    thawNow = () => {};
    window.removeEventListener('pagehide', thaw, true);
    document.removeEventListener('visibilitychange', thawIfHidden, true);
    stop();
  };
}

export function takeFullSnapshot() {
  try {
    record.takeFullSnapshot(true);
  } catch (e) {
    /* not recording */
  }
}

// rrweb's id of a recorded node (the id the events use), or -1.
export function nodeId(node) {
  try {
    return record.mirror.getId(node);
  } catch (e) {
    return -1;
  }
}
