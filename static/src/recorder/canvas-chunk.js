// replay-canvas.js: canvas recording (canvas.js) for a replay.js whose tag has data-record-canvas;
// loaded by replay.js itself (tag.js), it hands the module over like replay-network.js.
import { CANVAS_READY } from './chunks.js';
import * as canvas from './canvas.js';

try {
  const ready = window[CANVAS_READY];
  delete window[CANVAS_READY];
  if (typeof ready === 'function') ready(canvas);
} catch (e) {
  /* the recorder never throws into the host page */
}
