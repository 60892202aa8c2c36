// Patches fetch and XMLHttpRequest: tags requests to the page's origin (and data-propagate-to)
// with the session headers and records every request as a `qorrelate.network` timeline entry.
// Only method, redacted URL, status, timing and size are kept, unless the URL is on the
// data-network-details allow list: then headers and bodies too, redacted (details.js).
import { ERROR_HEADER, ERROR_HEADER_VALUE } from './conventions.js';
import { mergeBaggage, newTraceparent, parseTraceparent } from './propagation.js';
import { redactUrl } from './redact.js';
import { guard, now, truncate } from './util.js';

function absolute(url) {
  try {
    return new URL(url, location.href).href;
  } catch (e) {
    return String(url);
  }
}

function sizeOf(value) {
  const n = parseInt(value, 10);
  return isFinite(n) ? n : null;
}

// details() → null, or (once data-network-details is set and details.js has loaded) what
// details.js's createDetails returns: allowed(url) and the redacted halves of a request.
export function installNetwork({ propagation, sessionId, record, details }) {
  function detailsFor(url) {
    const d = details && details();
    return d && d.allowed(url) ? d : null;
  }

  const restore = [];

  // Returns the headers to add (possibly none) and the trace context the request will carry.
  function plan(url, getHeader) {
    const out = { add: null, traceId: null, spanId: null, tagged: false };
    const existing = parseTraceparent(getHeader('traceparent'));
    if (existing) {
      out.traceId = existing.traceId;
      out.spanId = existing.spanId;
    }
    if (!propagation.shouldTag(url)) return out;
    const id = sessionId();
    out.tagged = true;
    out.add = { 'X-Session-ID': id, baggage: mergeBaggage(getHeader('baggage'), id) };
    if (!existing && propagation.addTraceparent) {
      const tp = newTraceparent();
      out.add.traceparent = tp.header;
      out.traceId = tp.traceId;
      out.spanId = tp.spanId;
    }
    return out;
  }

  function emit(initiator, method, url, start, t0, p, status, size, error, extra) {
    const entry = {
      method: String(method || 'GET').toUpperCase(),
      url: redactUrl(url),
      status,
      duration_ms: Math.round(performance.now() - t0),
      size,
      trace_id: p.traceId,
      span_id: p.spanId,
      session_header: p.tagged,
      initiator,
      error: error ? truncate(error, 200) : null,
      backend_error: !!(extra && extra.backendError),
    };
    if (extra && extra.request) {
      entry.request = extra.request;
      entry.response = extra.response || null;
    }
    record('qorrelate.network', entry, start);
  }

  const nativeFetch = window.fetch;
  if (typeof nativeFetch === 'function') {
    const patched = function (input, init) {
      let p = null;
      let url;
      let method;
      let args = arguments;
      let request = null;
      let d = null;
      try {
        const isRequest = typeof Request !== 'undefined' && input instanceof Request;
        url = absolute(isRequest ? input.url : input);
        if (!propagation.isIntake(url)) {
          method = (init && init.method) || (isRequest ? input.method : 'GET');
          const headers = new Headers((init && init.headers) || (isRequest ? input.headers : undefined));
          p = plan(url, (name) => headers.get(name));
          if (p.add) {
            for (const name in p.add) headers.set(name, p.add[name]);
            const init2 = {};
            for (const k in init) init2[k] = init[k];
            init2.headers = headers;
            args = [input, init2];
          }
          d = detailsFor(url);
          if (d) {
            const pairs = [];
            headers.forEach((v, k) => pairs.push([k, v]));
            // A Request's body is a stream the page still owns: only init.body is read.
            request = d.request(pairs, init ? init.body : null);
          }
        }
      } catch (e) {
        p = null;
        args = arguments;
      }
      const result = nativeFetch.apply(this, args);
      if (p) {
        const start = now();
        const t0 = performance.now();
        const done = guard((res) => {
          const size = sizeOf(res.headers.get('content-length'));
          const extra = { backendError: res.headers.get(ERROR_HEADER) === ERROR_HEADER_VALUE, request };
          if (!request) return emit('fetch', method, url, start, t0, p, res.status, size, null, extra);
          const headersAt = performance.now();
          d.fetchResponse(res, guard((response) => {
            extra.response = response;
            emit('fetch', method, url, start, t0 + performance.now() - headersAt, p, res.status, size, null, extra);
          }));
        });
        const failed = guard((err) =>
          emit('fetch', method, url, start, t0, p, 0, null, (err && (err.name + ': ' + err.message)) || 'network error'),
        );
        result.then(done, failed);
      }
      return result;
    };
    window.fetch = patched;
    restore.push(() => {
      if (window.fetch === patched) window.fetch = nativeFetch;
    });
  }

  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const proto = XHR.prototype;
    const open = proto.open;
    const setRequestHeader = proto.setRequestHeader;
    const send = proto.send;
    const KEY = '__qorrelate';

    proto.open = function (method, url) {
      try {
        this[KEY] = { method, url: absolute(url), headers: {} };
      } catch (e) {
        /* ignore */
      }
      return open.apply(this, arguments);
    };
    proto.setRequestHeader = function (name, value) {
      try {
        const info = this[KEY];
        if (info) {
          const k = String(name).toLowerCase();
          info.headers[k] = info.headers[k] ? info.headers[k] + ', ' + value : String(value);
        }
      } catch (e) {
        /* ignore */
      }
      return setRequestHeader.apply(this, arguments);
    };
    proto.send = function (body) {
      try {
        const info = this[KEY];
        if (info && !propagation.isIntake(info.url)) {
          const p = plan(info.url, (name) => info.headers[name] || null);
          if (p.add) {
            for (const name in p.add) {
              // setRequestHeader appends to an existing value, so baggage is replaced wholesale
              // only when the page has not set one; otherwise our entry is appended.
              if (name === 'baggage' && info.headers.baggage) {
                if (!/(^|,)\s*session\.id=/.test(info.headers.baggage)) {
                  setRequestHeader.call(this, name, 'session.id=' + encodeURIComponent(sessionId()));
                }
              } else {
                setRequestHeader.call(this, name, p.add[name]);
              }
            }
          }
          const start = now();
          const t0 = performance.now();
          const xhr = this;
          let request = null;
          const d = detailsFor(info.url);
          if (d) {
            const pairs = Object.keys(info.headers).map((k) => [k, info.headers[k]]);
            if (p.add) for (const k in p.add) pairs.push([k.toLowerCase(), p.add[k]]);
            request = d.request(pairs, body);
          }
          this.addEventListener(
            'loadend',
            guard(() => {
              const failed = xhr.status === 0;
              const extra = { backendError: !failed && xhr.getResponseHeader(ERROR_HEADER) === ERROR_HEADER_VALUE, request };
              if (request && !failed) extra.response = d.xhrResponse(xhr);
              emit('xhr', info.method, info.url, start, t0, p, xhr.status,
                failed ? null : sizeOf(xhr.getResponseHeader('content-length')),
                failed ? 'network error or aborted' : null, extra);
            }),
          );
        }
      } catch (e) {
        /* the request itself must still go out */
      }
      return send.apply(this, arguments);
    };
    restore.push(() => {
      proto.open = open;
      proto.setRequestHeader = setRequestHeader;
      proto.send = send;
    });
  }

  // sendBeacon: no answer to see, so no status (null), and no session headers (it takes none).
  const nav = window.navigator;
  const beacon = nav && nav.sendBeacon;
  if (typeof beacon === 'function') {
    const patchedBeacon = function (url, data) {
      const queued = beacon.apply(this, arguments);
      try {
        const abs = absolute(url);
        if (!propagation.isIntake(abs)) {
          const d = detailsFor(abs);
          const type = typeof data === 'string' ? 'text/plain;charset=UTF-8' : (data && data.type) || '';
          const extra = d ? { request: d.request(type ? [['content-type', type]] : [], data), response: null } : null;
          emit('beacon', 'POST', abs, now(), performance.now(), { traceId: null, spanId: null, tagged: false },
            queued ? null : 0, null, queued ? null : 'not queued by the browser', extra);
        }
      } catch (e) {
        /* the beacon is sent (or not) whatever happens here */
      }
      return queued;
    };
    nav.sendBeacon = patchedBeacon;
    restore.push(() => {
      if (nav.sendBeacon === patchedBeacon) nav.sendBeacon = beacon;
    });
  }

  return {
    nativeFetch: nativeFetch ? nativeFetch.bind(window) : null,
    uninstall: () => restore.forEach((f) => f()),
  };
}
