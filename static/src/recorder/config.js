// Reads the <script data-*> attributes once, at load time.
import { DEFAULT_WINDOW_MS } from './buffer.js';
import { optionReader } from './options.js';
import { originOf } from './util.js';

export const SDK = 'qorrelate-js/0.1.0';
export const PRIVACY_MODES = ['mask-inputs', 'mask-all', 'mask-sensitive'];
const THIRTY_MINUTES = 30 * 60 * 1000;
const FIVE_MINUTES = 5 * 60 * 1000;

// An exact http(s) origin, else '': '*' (or a URL with a path) would make postMessage post a
// frame's recording, or the page's session ID, to any origin (frames.js).
function exactOrigin(s) {
  s = s.replace(/\/+$/, '');
  return /^https?:\/\/[^/?#*]+$/i.test(s) ? s : '';
}

function num(value, fallback, min, max) {
  const n = parseFloat(value);
  return isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export function findScript() {
  const current = document.currentScript;
  if (current && current.hasAttribute('data-org-id')) return current;
  return document.querySelector('script[data-org-id]') || current;
}

// From the script tag's data-* attributes, or from init()'s options (options.js).
export function readConfig(script, options) {
  const attr = options ? optionReader(options) : (name) => {
    const v = script ? script.getAttribute('data-' + name) : null;
    return v == null ? null : v.trim();
  };
  const scriptOrigin = script && script.src ? originOf(script.src) : null;
  const endpoint = (attr('endpoint') || scriptOrigin || location.origin).replace(/\/+$/, '');
  const mode = attr('privacy-mode');
  const list = (name) => (attr(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
  const propagateTo = list('propagate-to').map((s) => s.replace(/\/+$/, ''));
  const onError = attr('record') === 'on-error';
  const privacyMode = PRIVACY_MODES.indexOf(mode) >= 0 ? mode : 'mask-inputs';
  return {
    orgId: attr('org-id') || '',
    endpoint,
    intakeUrl: endpoint + '/ingest/v1/replay',
    privacyMode,
    propagateTo,
    // With data-record="on-error", sampled sessions are recorded whole and the others kept in
    // memory until an error (buffer.js); every session is then on-error unless a rate is set.
    record: onError ? 'on-error' : 'always',
    sampleRate: num(attr('sample-rate'), onError ? 0 : 100, 0, 100),
    bufferWindowMs: num(attr('buffer-window'), DEFAULT_WINDOW_MS, 1000, 10 * 60 * 1000),
    // URL patterns whose requests are recorded with headers and bodies (details.js).
    networkDetails: list('network-details'),
    // WebSocket messages of allowed URLs too (websocket.js); a separate opt-in.
    websocket: attr('network-websocket') === 'on',
    // Header names of the site's own whose values network details never keep, beside the fixed list.
    redactHeaders: list('redact-headers').map((s) => s.toLowerCase()),
    // Canvas pixels, a few snapshots a second (canvas.js, its own chunk); never in mask-all.
    recordCanvas: privacyMode !== 'mask-all' && attr('record-canvas') === 'true',
    canvasFps: num(attr('canvas-fps'), 2, 0.2, 10),
    // Origins of the cross-origin iframes whose recorders record into this page's session, and,
    // in such a frame, the origin of the parent it records into (frames.js).
    crossOriginIframes: list('cross-origin-iframes').map(exactOrigin).filter(Boolean),
    parentOrigin: exactOrigin(attr('parent-origin') || ''),
    traceparent: !/^(off|false|0|no)$/i.test(attr('traceparent') || ''),
    // Overridable so tests need not wait 30 minutes; production pages leave them unset.
    inactivityTimeoutMs: num(attr('inactivity-timeout'), THIRTY_MINUTES, 100, 24 * 3600 * 1000),
    // A session longer than this rolls over to a new one (session.previous_id) at the next
    // activity, as Grafana Faro's sessions do.
    maxSessionMs: num(attr('max-session-length'), 4 * 3600 * 1000, 1000, 7 * 24 * 3600 * 1000),
    flushIntervalMs: num(attr('flush-interval'), 5000, 50, 5000),
    // A fresh full snapshot this often (while the page changes), so a player can start a long
    // session anywhere without downloading it from the beginning. 0 turns it off.
    checkoutIntervalMs: attr('checkout-interval') === '0' ? 0 : num(attr('checkout-interval'), FIVE_MINUTES, 1000, 24 * 3600 * 1000),
  };
}
