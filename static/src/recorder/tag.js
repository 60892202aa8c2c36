// replay.js entry (the script tag): the configuration is the tag's data-* attributes.
import { findScript, readConfig } from './config.js';
import { DETAILS_READY, detailsChunkUrl } from './chunks.js';
import { createCompressor, workerUrlFor } from './compress.js';
import { boot } from './index.js';

try {
  const script = findScript();
  boot(readConfig(script), (ready) => {
    // replay-network.js, beside replay.js, hands details.js over through this one-time hook.
    window[DETAILS_READY] = ready;
    const chunk = document.createElement('script');
    chunk.src = detailsChunkUrl(script);
    chunk.async = true;
    (document.head || document.documentElement).appendChild(chunk);
  }, createCompressor({ url: workerUrlFor(script && script.src) }));
} catch (e) {
  /* the recorder never throws into the host page */
}
