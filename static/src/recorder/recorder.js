// The rrweb part: DOM snapshots and mutations, throttled pointer and scroll, masked inputs.
import { record } from '@rrweb/record';
import { createAttributeMasker } from './attributes.js';
import { rrwebPrivacyOptions } from './privacy.js';

export function startRrweb({ privacyMode, emit, checkoutIntervalMs }) {
  const options = rrwebPrivacyOptions(privacyMode);
  const maskAttributes = createAttributeMasker(privacyMode, record.mirror);
  return record({
    emit: (event, checkout) => emit(maskAttributes(event), checkout),
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
    recordCanvas: false,
    collectFonts: false,
    // rrweb checks this on each incremental event: once one comes more than N ms after the last
    // full snapshot, it takes a new one (Meta + FullSnapshot). An idle page costs nothing.
    checkoutEveryNms: checkoutIntervalMs || undefined,
    // rrweb's own internal errors are swallowed rather than thrown into the page.
    errorHandler: () => true,
  });
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
