// Canvas pixels, opt-in (data-record-canvas), as image snapshots at a low frame rate: a few times
// a second each recorded canvas (2D or WebGL) is read back and, when its picture changed, sent as
// one rrweb CanvasMutation event that draws the picture (WebP data URL) over the whole canvas.
// rrweb's own canvas recorder (every drawing call, or snapshots through an inline worker) is cut
// from replay.js (static/build.mjs): this file is the canvas chunk, replay-canvas.js, loaded from
// beside replay.js only when canvas recording is on. Never in mask-all (config.js). Canvases
// inside a private element (data-private, qorrelate-mask) or blocked ones (qorrelate-block) are
// skipped; a canvas inside a blocked element has no rrweb id at all.
const QUALITY = 0.6;

// fps: snapshots per second at most; emit(event): into the recording; mirror: rrweb's node ids;
// hidden(canvas): private or blocked (privacy.js, passed in so this chunk shares no module).
export function startCanvas({ fps, emit, mirror, hidden }) {
  const canvases = new Set();
  const sent = new WeakMap(); // canvas → the picture last sent
  const busy = new WeakSet(); // a read-back still being encoded
  const refused = new WeakSet(); // tainted (cross-origin pixels): never readable
  let stopped = false;
  let frame = 0;
  let timer = 0;

  const add = (el) => {
    if (el && el.tagName === 'CANVAS') canvases.add(el);
  };
  // The canvases already on the page (and in its open shadow roots and same-origin iframes)
  // when the chunk arrives; later ones are seen in rrweb's events (observe).
  const scan = (root) => {
    root.querySelectorAll('*').forEach((el) => {
      add(el);
      if (el.shadowRoot) scan(el.shadowRoot);
      if (el.tagName === 'IFRAME') {
        try {
          if (el.contentDocument) scan(el.contentDocument);
        } catch (e) {
          /* cross-origin: its own recorder records its canvases */
        }
      }
    });
  };
  const walk = (node) => {
    if (node.type === 2 && node.tagName === 'canvas') add(mirror.getNode(node.id));
    if (node.childNodes) node.childNodes.forEach(walk);
  };

  // One picture of a canvas into the recording, drawn over the whole canvas. Stamped when it is
  // sent, not when the pixels were read: a full snapshot taken while the picture was being
  // encoded would otherwise sort after it in the replay, and blank the canvas again.
  function send(canvas, src) {
    const id = mirror.getId(canvas);
    if (!canvas.isConnected || id < 0 || hidden(canvas)) return;
    const w = canvas.width;
    const h = canvas.height;
    emit({
      type: 3,
      timestamp: Date.now(),
      data: {
        source: 9,
        id,
        type: 0,
        commands: [
          { property: 'clearRect', args: [0, 0, w, h] },
          { property: 'drawImage', args: [{ rr_type: 'HTMLImageElement', src }, 0, 0, w, h] },
        ],
      },
    });
  }

  function capture(canvas) {
    const id = mirror.getId(canvas);
    if (!canvas.isConnected || id < 0) return canvases.delete(canvas);
    if (busy.has(canvas) || refused.has(canvas) || !canvas.width || !canvas.height || hidden(canvas)) return;
    busy.add(canvas);
    try {
      // toBlob copies the pixels now (inside a frame, so a WebGL canvas still holds its picture)
      // and encodes them off the main thread.
      canvas.toBlob((blob) => {
        if (!blob) return busy.delete(canvas);
        const reader = new FileReader();
        reader.onloadend = () => {
          busy.delete(canvas);
          const src = reader.result;
          if (stopped || typeof src !== 'string' || sent.get(canvas) === src) return;
          sent.set(canvas, src);
          send(canvas, src);
        };
        reader.readAsDataURL(blob);
      }, 'image/webp', QUALITY);
    } catch (e) {
      busy.delete(canvas);
      refused.add(canvas);
    }
  }

  // fps times a second, in an animation frame (none while the tab is hidden): a frame on every
  // display refresh would keep a still page rendering.
  function tick() {
    frame = requestAnimationFrame(() => {
      if (stopped) return;
      canvases.forEach(capture);
      timer = setTimeout(tick, 1000 / fps);
    });
  }

  scan(document);
  tick();
  return {
    // Every rrweb event, right after it is recorded: canvases added later, and full snapshots,
    // after which each canvas's last picture is sent again at once, in the same task, under the
    // node's id in that snapshot: a replay started there shows it, and so does the page of a
    // cross-origin frame, which gives the frame's nodes new ids at each of its snapshots (waiting
    // for the next capture could leave a session that ends meanwhile with a blank canvas).
    observe(event) {
      if (event.type === 2) {
        walk(event.data.node);
        canvases.forEach((c) => sent.has(c) && send(c, sent.get(c)));
      } else if (event.type === 3 && event.data.source === 0) {
        event.data.adds.forEach((a) => walk(a.node));
      }
    },
    stop() {
      stopped = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    },
  };
}
