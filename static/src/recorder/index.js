// The recorder: records the session, masks by default and tags backend calls. Started by the
// script tag (tag.js) or by the npm package's init() (esm.js), with the same configuration.
import { exposeApi, exposeInertApi } from './api.js';
import { createCompressor, workerUrlFor } from './compress.js';
import { SDK, findScript } from './config.js';
import { installConsole, installErrors } from './console.js';
import { buildEnvelope } from './envelope.js';
import { installNavigation } from './navigation.js';
import { installNetwork } from './network.js';
import { installPerf } from './perf.js';
import { createPropagation } from './propagation.js';
import { installForms } from './forms.js';
import { nodeId, startRrweb, takeFullSnapshot, thawMutations } from './recorder.js';
import { redactEveryParam, redactUrl } from './redact.js';
import { createSession } from './session.js';
import { createTransport } from './transport.js';
import { guard, now, truncate } from './util.js';

// rrweb IncrementalSnapshot sources that mean a person is there: mouse, clicks, scroll, input, touch.
const USER_SOURCES = [1, 2, 3, 5, 6];
const nativeConsole = { error: console.error, warn: console.warn };

export function boot(config) {
  if (window.qorrelate && window.qorrelate.version) return; // the tag is on the page twice
  if (!config.orgId) {
    nativeConsole.error.call(
      console,
      '[qorrelate] replay.js needs a data-org-id attribute on its <script> tag ' +
        '(copy the tag from your organization\'s overview page in Qorrelate). Nothing will be recorded.',
    );
    exposeInertApi(SDK);
    return;
  }

  redactEveryParam(config.privacyMode === 'mask-all');
  const session = createSession({ timeoutMs: config.inactivityTimeoutMs, sampleRate: config.sampleRate });
  const propagation = createPropagation(config);
  let recording = false;
  let stopRrweb = null;
  let flushTimer = null;
  let warned = false;
  let lastResnapshot = 0;

  // The page's own fetch, before the network capture wraps it: batches are never captured.
  const pageFetch = typeof window.fetch === 'function' ? window.fetch.bind(window) : null;
  const transport = createTransport({
    url: config.intakeUrl + '?org=' + encodeURIComponent(config.orgId),
    fetch: pageFetch,
    envelope: (ended) => buildEnvelope({ config, session: session.get(), seq: session.nextSeq(), ended, win: window }),
    compress: createCompressor({ url: workerUrlFor((findScript() || {}).src) }),
    onFatal(status, err) {
      halt();
      if (!warned) {
        warned = true;
        nativeConsole.warn.call(
          console,
          `[qorrelate] recording stopped: the intake answered ${status}` +
            (err.code ? ` (${err.code})` : '') + (err.message ? `: ${err.message}` : ''),
        );
      }
    },
    // Events were lost: a new full snapshot makes the rest of the session replayable again.
    // At most one every 10 s: on a huge page the snapshot itself may be what overflowed.
    onDropped() {
      const wait = Math.max(0, lastResnapshot + 10000 - now());
      lastResnapshot = now() + wait;
      setTimeout(guard(takeFullSnapshot), wait);
    },
  });

  function record(tag, payload, timestamp) {
    if (!recording) return;
    thawMutations(tag);
    transport.push({ type: 5, data: { tag, payload }, timestamp: timestamp || now() });
  }

  installNetwork({ propagation, sessionId: () => session.get().id, record });

  const onRrwebEvent = guard((event) => {
    if (!recording) return;
    if (event.type === 3 && event.data && USER_SOURCES.indexOf(event.data.source) >= 0) {
      if (session.expired()) {
        // Back after the inactivity timeout: the old session is closed, a new one starts here.
        transport.flush();
        session.rotate();
        if (!session.get().sampled) {
          halt();
          return;
        }
        takeFullSnapshot();
      }
      session.touch();
    }
    if (event.type === 4 && event.data && event.data.href) event.data.href = redactUrl(event.data.href);
    transport.push(event);
  });

  function begin() {
    if (recording || transport.isDead()) return false;
    recording = true;
    stopRrweb = startRrweb({
      privacyMode: config.privacyMode,
      checkoutIntervalMs: config.checkoutIntervalMs,
      emit: onRrwebEvent,
    }) || null;
    flushTimer = setInterval(guard(() => transport.flush()), config.flushIntervalMs);
    return true;
  }

  function halt() {
    recording = false;
    if (stopRrweb) stopRrweb();
    stopRrweb = null;
    clearInterval(flushTimer);
    flushTimer = null;
  }

  installConsole({ record });
  installErrors({ record });
  installForms({ record, nodeId });
  const reportVitals = installPerf({ record });

  window.addEventListener('visibilitychange', guard(() => {
    if (document.visibilityState === 'hidden') {
      reportVitals();
      session.save();
      transport.flush();
    }
  }));
  window.addEventListener('pagehide', guard(() => {
    reportVitals();
    session.save();
    transport.flushNow();
  }));

  let stoppedByPage = false;
  exposeApi({
    version: SDK,
    identify(userId, traits) {
      const user = { id: userId == null ? null : String(userId), traits: traits && typeof traits === 'object' ? traits : {} };
      session.setUser(user);
      record('qorrelate.identify', { user_id: user.id, traits: user.traits });
    },
    getSessionId: () => session.get().id,
    getSessionURL() {
      const s = session.get();
      return `${config.endpoint}/r/${encodeURIComponent(config.orgId)}/${s.id}?t=${Math.max(0, now() - s.start)}`;
    },
    event(name, payload) {
      record('qorrelate.event', { name: truncate(name, 200), payload: payload === undefined ? null : payload });
    },
    start() {
      if (recording) return true;
      // stop() ended the previous session; starting again opens a new one linked to it.
      if (stoppedByPage) {
        session.rotate();
        stoppedByPage = false;
      }
      session.forceSampled();
      if (!begin()) return false;
      installNav();
      return true;
    },
    stop() {
      if (!recording) return;
      halt();
      stoppedByPage = true;
      transport.flush(true);
    },
    flush: () => transport.flush(),
  });

  let navInstalled = false;
  function installNav() {
    if (navInstalled) return;
    navInstalled = true;
    installNavigation({ record });
  }

  if (session.get().sampled) {
    begin();
    installNav();
  }
}
