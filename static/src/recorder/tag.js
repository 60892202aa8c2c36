// replay.js entry (the script tag): the configuration is the tag's data-* attributes.
import { findScript, readConfig } from './config.js';
import { boot } from './index.js';

try {
  boot(readConfig(findScript()));
} catch (e) {
  /* the recorder never throws into the host page */
}
