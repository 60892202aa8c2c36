// replay.js entry (the script tag): the configuration is the tag's data-* attributes.
import { findScript, readConfig } from './config.js';
import { CANVAS_READY, DETAILS_READY, loadChunk } from './chunks.js';
import { createCompressor, workerUrlFor } from './compress.js';
import { boot } from './index.js';

try {
  const script = findScript();
  boot(
    readConfig(script),
    (ready) => loadChunk(script, 'replay-network.js', DETAILS_READY, ready),
    createCompressor({ url: workerUrlFor(script && script.src) }),
    (ready) => loadChunk(script, 'replay-canvas.js', CANVAS_READY, ready),
  );
} catch (e) {
  /* the recorder never throws into the host page */
}
