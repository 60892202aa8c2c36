// WebSocket messages (data-network-websocket="on", with data-network-details): sockets opened to
// a URL on the details allow list record their messages as `qorrelate.websocket` timeline
// entries, each redacted and capped like a request body (details.js captureBody). Part of the
// lazy details chunk: a socket opened before the chunk has loaded is not watched.
import { redactUrl } from './redact.js';

// Messages kept per socket; past it, one `limit` entry says how many were left out at close.
export const WS_MAX_MESSAGES = 500;
const TAG = 'qorrelate.websocket';

function sizeOf(data) {
  if (typeof data === 'string') return data.length;
  if (data && typeof data.byteLength === 'number') return data.byteLength;
  return data && typeof data.size === 'number' ? data.size : null;
}

// capture(text, type) is details.js's captureBody with the page's privacy mode applied.
export function watchWebSockets({ record, allowed, capture }) {
  const Native = window.WebSocket;
  if (typeof Native !== 'function' || Native.__qorrelate) return;

  function watch(ws) {
    const url = redactUrl(ws.url);
    let kept = 0;
    let skipped = 0;
    const message = (direction, data) => {
      if (kept >= WS_MAX_MESSAGES) {
        skipped++;
        return;
      }
      kept++;
      const text = typeof data === 'string' ? data : null;
      // Binary frames: only their size.
      const body = text == null ? { body: null, size: sizeOf(data), truncated: false } : capture(text, '');
      record(TAG, { url, direction, message: body });
    };
    const send = ws.send;
    ws.send = function (data) {
      try {
        message('send', data);
      } catch (e) {
        /* the message still goes out */
      }
      return send.apply(this, arguments);
    };
    ws.addEventListener('open', () => record(TAG, { url, direction: 'open', message: null }));
    ws.addEventListener('message', (e) => message('receive', e.data));
    ws.addEventListener('close', (e) =>
      record(TAG, { url, direction: 'close', message: null, code: e.code, skipped }),
    );
  }

  function WebSocket(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    try {
      if (allowed(ws.url)) watch(ws);
    } catch (e) {
      /* the page's socket works whatever happens here */
    }
    return ws;
  }
  WebSocket.prototype = Native.prototype;
  WebSocket.__qorrelate = true;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((k) => {
    WebSocket[k] = Native[k];
  });
  window.WebSocket = WebSocket;
}
