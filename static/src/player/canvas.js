// Canvases in the replay. The replay frame runs no scripts (rrweb's sandbox without
// allow-scripts), and where scripting is off a <canvas> is not drawn: it shows its fallback
// content instead, an empty inline box. So every replayed canvas is given its box back (its size
// from its width and height attributes, unless the page's CSS sizes it) and the recorder's
// pictures (rrweb CanvasMutation events whose one drawing is a data: image over the whole canvas,
// see static/src/recorder/canvas.js) are shown as its background. rrweb's own canvas replay would
// need UNSAFE_replayCanvas, which lets scripts run in the replay frame.
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const CANVAS_MUTATION = 9;

// The picture of a canvas event: a data:image URL drawn over the whole canvas, or null.
export function pictureOf(data) {
  const commands = (data && data.commands) || [];
  for (const c of commands) {
    const image = c && c.property === 'drawImage' && Array.isArray(c.args) ? c.args[0] : null;
    if (image && image.rr_type === 'HTMLImageElement' && /^data:image\/[a-z+.-]+;base64,[A-Za-z0-9+/=]*$/i.test(String(image.src))) return image.src;
  }
  return null;
}

function isCanvas(node) {
  return !!node && node.nodeName === 'CANVAS' && !!node.style;
}

// The box the canvas has on the recorded page: as wide as its width attribute unless the page's
// CSS gives it a width, as tall as its proportions say unless the CSS gives it a height.
export function fit(canvas) {
  const view = canvas.ownerDocument.defaultView;
  if (!view) return;
  if (view.getComputedStyle(canvas).display === 'inline') canvas.style.display = 'inline-block';
  if (canvas.width && canvas.height) canvas.style.aspectRatio = `${canvas.width} / ${canvas.height}`;
  if (!canvas.getBoundingClientRect().width) canvas.style.width = `${canvas.width}px`;
}

export function canvasPictures() {
  let shown = new Map(); // canvas id → its picture at the replay's current time
  // Pictures whose canvas is not in the replay yet: a cross-origin frame's picture can arrive
  // before the frame's document is added. Shown once a later change adds the canvas.
  let waiting = new Set();
  let mirror = null;

  function show(id) {
    const canvas = mirror && mirror.getNode(id);
    const src = shown.get(id);
    if (!src) return;
    if (!isCanvas(canvas)) {
      waiting.add(id);
      return;
    }
    waiting.delete(id);
    fit(canvas);
    canvas.style.backgroundImage = `url("${src}")`;
    canvas.style.backgroundSize = '100% 100%';
    canvas.style.backgroundRepeat = 'no-repeat';
  }

  return {
    getMirror({ nodeMirror }) {
      mirror = nodeMirror;
    },
    // A node rebuilt while seeking is put into the frame's document a moment later.
    onBuild(node) {
      if (isCanvas(node)) setTimeout(() => node.isConnected && fit(node), 0);
    },
    // Called for each event rrweb plays. While seeking (isSync) rrweb rebuilds the DOM after it
    // has read the events, so the picture is shown a moment later, once the canvas exists again.
    handler(event, isSync) {
      if (event.type === FULL_SNAPSHOT) {
        shown = new Map(); // the recorder sends every canvas again after a snapshot
        waiting = new Set();
        return;
      }
      if (event.type !== INCREMENTAL || !event.data) return;
      if (event.data.source === MUTATION && waiting.size) {
        const ids = [...waiting];
        setTimeout(() => ids.forEach(show), 0); // once rrweb has applied the change
        return;
      }
      if (event.data.source !== CANVAS_MUTATION) return;
      const src = pictureOf(event.data);
      if (!src) return;
      const id = event.data.id;
      shown.set(id, src);
      if (isSync) setTimeout(() => show(id), 0);
      else show(id);
    },
  };
}
