// replay-network.js: network details (details.js) for a replay.js whose tag has
// data-network-details; it is loaded by replay.js itself (tag.js) and hands the module over.
import { DETAILS_READY } from './chunks.js';
import * as details from './details.js';

try {
  const ready = window[DETAILS_READY];
  delete window[DETAILS_READY];
  if (typeof ready === 'function') ready(details);
} catch (e) {
  /* the recorder never throws into the host page */
}
