// The recorder: records the session, masks by default and tags backend calls. Started by the
// script tag (tag.js) or by the npm package's init() (esm.js), with the same configuration.
import { exposeApi, exposeInertApi } from './api.js';
import { createBuffer, isTrigger } from './buffer.js';
import { SDK } from './config.js';
import { installConsole, installErrors } from './console.js';
import { buildEnvelope } from './envelope.js';
import { installNavigation } from './navigation.js';
import { installNetwork } from './network.js';
import { installPerf } from './perf.js';
import { createPropagation } from './propagation.js';
import { installForms } from './forms.js';
import { acceptFrames, parentSink } from './frames.js';
import { isHiddenCanvas } from './privacy.js';
import { SESSION_END, SESSION_START, sessionEvent } from './lifecycle.js';
import { mirror, nodeId, startRrweb, takeFullSnapshot, thawMutations } from './recorder.js';
import { redactEveryParam, redactUrl } from './redact.js';
import { preserveWebglPictures } from './webgl.js';
import { createSession } from './session.js';
import { watchShadowInputs } from './shadow.js';
import { createTransport, serialize } from './transport.js';
import { guard, now, truncate } from './util.js';

// rrweb IncrementalSnapshot sources that mean a person is there: mouse, clicks, scroll, input, touch.
const USER_SOURCES = [1, 2, 3, 5, 6];
const nativeConsole = { error: console.error, warn: console.warn };

// loadDetails(ready): delivers details.js to ready(module) when data-network-details is set: the
// script tag loads it as its own chunk (replay-network.js), the npm package has it built in.
// compress(text): the batches' gzip (tag.js hands over the compression worker, compress.js);
// without it the transport gzips on the main thread. loadCanvas(ready): canvas.js, when
// data-record-canvas is set (the tag's replay-canvas.js chunk, the package's dynamic import).
export function boot(config, loadDetails, compress, loadCanvas) {
  if (window.qorrelate && window.qorrelate.version) return; // the tag is on the page twice
  if (!config.orgId) {
    nativeConsole.error.call(
      console,
      '[qorrelate] replay.js needs a data-org-id attribute on its <script> tag ' +
        '(copy the tag from the Overview page in Qorrelate). Nothing will be recorded.',
    );
    exposeInertApi(SDK);
    return;
  }
  // In a cross-origin iframe that records into its parent, events go there (frames.js).
  const toParent = parentSink(config, guard(takeFullSnapshot));
  if (toParent === false) return exposeInertApi(SDK);

  redactEveryParam(config.privacyMode === 'mask-all');
  const session = createSession({
    timeoutMs: config.inactivityTimeoutMs,
    maxMs: config.maxSessionMs,
    sampleRate: config.sampleRate,
  });
  const framesSnapshot = config.crossOriginIframes.length && acceptFrames(config.crossOriginIframes, config.privacyMode, () => session.get().id);
  const propagation = createPropagation(config);
  let recording = false;
  let stopRrweb = null;
  let flushTimer = null;
  let warned = false;
  let lastResnapshot = 0;
  // data-record="on-error": unsampled sessions are recorded into memory (buffer.js) and uploaded
  // from the first trigger on; `buffering` is true until then.
  const onError = config.record === 'on-error';
  let buffering = false;
  const buffer = createBuffer({
    windowMs: config.bufferWindowMs,
    // A segment grew too large (or had to go): a new snapshot, not from inside rrweb's emit.
    onSnapshotNeeded: () => setTimeout(guard(takeFullSnapshot), 0),
  });

  // The page's own fetch, before the network capture wraps it: batches are never captured.
  const pageFetch = typeof window.fetch === 'function' ? window.fetch.bind(window) : null;
  const transport = createTransport({
    url: config.intakeUrl + '?org=' + encodeURIComponent(config.orgId),
    fetch: pageFetch,
    envelope: (ended) => buildEnvelope({ config, session: session.get(), windowId: session.windowId(), seq: session.nextSeq(), ended, win: window }),
    compress,
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

  function sink(event) {
    if (toParent) return toParent(event);
    if (!buffering) return transport.push(event);
    const s = serialize(event);
    if (s) buffer.push(s, event.type, event.timestamp);
  }

  // session.start / session.end of the current session, on its timeline (lifecycle.js); a frame
  // recording into its parent is part of the parent's session and says nothing of its own.
  function lifecycle(tag, reason, timestamp) {
    if (toParent) return;
    record(tag, sessionEvent(session.get(), session.windowId(), reason), timestamp);
  }

  function record(tag, payload, timestamp) {
    if (!recording) return;
    thawMutations(tag);
    sink({ type: 5, data: { tag, payload }, timestamp: timestamp || now() });
    if (buffering && isTrigger(tag, payload)) trigger();
  }

  // Requests made before details.js has arrived are recorded without their details.
  let details = null;
  if (config.networkDetails.length && loadDetails) {
    loadDetails(guard((mod) => {
      details = mod.createDetails(config, location.href);
      if (config.websocket) details.watchWebSockets(record);
    }));
  }
  let canvas = null;
  if (config.recordCanvas && loadCanvas) {
    preserveWebglPictures();
    loadCanvas(guard((mod) => {
      canvas = mod.startCanvas({ fps: config.canvasFps, mirror, hidden: isHiddenCanvas, emit: guard((e) => recording && sink(e)) });
    }));
  }

  // A frame recording into its parent tags its requests with the parent's session, once known.
  installNetwork({ propagation, sessionId: () => (toParent && toParent.session()) || session.get().id, record, details: () => details });

  const onRrwebEvent = guard((event) => {
    if (!recording) return;
    // A frame recording into its parent has no session of its own to rotate.
    if (!toParent && event.type === 3 && event.data && USER_SOURCES.indexOf(event.data.source) >= 0) {
      const change = session.check();
      if (change) {
        // Back after the inactivity timeout, past the maximum length, or another tab started a
        // new session: the old one is closed (by this tab unless another one did), and this
        // tab goes on in the next one.
        const old = session.get();
        if (change.reason) lifecycle(SESSION_END, change.reason, change.reason === 'inactivity' ? old.last : now());
        if (buffering) buffer.clear(); // the old session's buffer had no trigger: never sent
        else transport.flush();
        session.rotate(change.adopt);
        if (!session.get().sampled) {
          if (!onError) {
            halt();
            return;
          }
          // An unsampled new session of an on-error page is buffered again, from a snapshot.
          buffering = true;
          buffer.clear();
          restartLater();
          session.touch();
          return;
        }
        takeFullSnapshot();
        if (session.get().created) lifecycle(SESSION_START, change.reason);
      }
      session.touch();
    }
    if (event.type === 4 && event.data && event.data.href) event.data.href = redactUrl(event.data.href);
    sink(event);
    // A same-origin frame rrweb has just attached: the frames' check on its window (frames.js).
    // After a full snapshot of the page, the frames are asked for theirs.
    if (framesSnapshot) event.type === 2 ? setTimeout(framesSnapshot, 0) : event.data.isAttachIframe && framesSnapshot.watch(mirror.getNode(event.data.adds[0].parentId).contentWindow);
    if (canvas) canvas.observe(event); // after the event: a snapshot's pictures follow it
  });

  // rrweb with the checkout interval of the mode: while buffering, a full snapshot every window,
  // so the buffer can always drop what is older than the window and still start at a snapshot.
  function startRecording() {
    return startRrweb({
      privacyMode: config.privacyMode,
      checkoutIntervalMs: buffering ? config.bufferWindowMs : config.checkoutIntervalMs,
      frames: framesSnapshot,
      emit: onRrwebEvent,
    }) || null;
  }

  // A restart emits a new Meta + FullSnapshot; done outside the caller (it may be rrweb's emit).
  function restartLater() {
    setTimeout(guard(() => {
      if (!recording) return;
      if (stopRrweb) stopRrweb();
      stopRrweb = startRecording();
    }), 0);
  }

  // The buffered window goes out (from its first full snapshot, in order) and the rest of the
  // session is recorded whole, also after a reload.
  function trigger() {
    buffering = false;
    session.forceSampled();
    buffer.drain(transport.pushSerialized);
    transport.flush();
    if (config.bufferWindowMs !== config.checkoutIntervalMs) restartLater();
  }

  function begin(buffered) {
    if (recording || transport.isDead()) return false;
    recording = true;
    buffering = !!buffered;
    stopRrweb = startRecording();
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

  watchShadowInputs();
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
      if (recording && buffering) trigger();
      if (recording) return true;
      // stop() ended the previous session; starting again opens a new one linked to it.
      if (stoppedByPage) {
        session.rotate();
        stoppedByPage = false;
      }
      session.forceSampled();
      if (!begin()) return false;
      if (session.get().created) lifecycle(SESSION_START, 'started');
      installNav();
      return true;
    },
    stop() {
      if (!recording) return;
      const wasBuffering = buffering;
      lifecycle(SESSION_END, 'stopped');
      halt();
      stoppedByPage = true;
      buffering = false;
      buffer.clear();
      // A buffered session that never triggered sends nothing, nor a frame recording into its parent.
      if (!wasBuffering && !toParent) transport.flush(true);
    },
    // While buffering, flush() is a trigger: the buffer goes out and recording continues whole.
    flush() {
      if (buffering) trigger();
      else transport.flush();
    },
  });

  let navInstalled = false;
  function installNav() {
    if (navInstalled) return;
    navInstalled = true;
    installNavigation({ record });
  }

  // A frame recording into its parent records whenever the parent's recorder takes its events.
  if (toParent || session.get().sampled || onError) {
    begin(!toParent && !session.get().sampled);
    // A new session (a second tab joins the first tab's and says nothing).
    if (session.get().created) lifecycle(SESSION_START, session.get().prev ? 'continued' : 'new');
    installNav();
  }
}
