// Canvas pictures in the replay. The recorder sends a canvas as image snapshots (rrweb
// CanvasMutation events whose one drawing is a data: image over the whole canvas, see
// static/src/recorder/canvas.js). rrweb draws canvas events only with UNSAFE_replayCanvas, which
// lets scripts run in the replay frame; this replay plugin draws them from the player's own
// page instead, into the frame's canvas, so the frame stays without scripts.
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const CANVAS_MUTATION = 9;

// The picture of a canvas event: a data:image URL drawn over the whole canvas, or null.
export function pictureOf(data) {
  const commands = (data && data.commands) || [];
  for (const c of commands) {
    const image = c && c.property === 'drawImage' && Array.isArray(c.args) ? c.args[0] : null;
    if (image && image.rr_type === 'HTMLImageElement' && /^data:image\//i.test(String(image.src))) return image.src;
  }
  return null;
}

export function canvasPictures() {
  let shown = new Map(); // canvas id → its picture at the replay's current time
  let mirror = null;
  const images = new Map(); // data URL → decoded image

  function draw(id) {
    const src = shown.get(id);
    const canvas = mirror && mirror.getNode(id);
    if (!src || !canvas || typeof canvas.getContext !== 'function') return;
    let image = images.get(src);
    if (!image) {
      image = new Image();
      image.src = src;
      images.set(src, image);
      if (images.size > 64) images.delete(images.keys().next().value);
    }
    const paint = () => {
      if (shown.get(id) !== src || mirror.getNode(id) !== canvas) return; // a later picture won
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    };
    if (image.complete && image.naturalWidth) paint();
    else image.addEventListener('load', paint, { once: true });
  }

  return {
    getMirror({ nodeMirror }) {
      mirror = nodeMirror;
    },
    // Called for each event rrweb plays. While seeking (isSync) rrweb rebuilds the DOM after it
    // has read the events, so the canvas is drawn a moment later, once it exists again.
    handler(event, isSync) {
      if (event.type === FULL_SNAPSHOT) {
        shown = new Map(); // the recorder sends every canvas again after a snapshot
        return;
      }
      if (event.type !== INCREMENTAL || !event.data || event.data.source !== CANVAS_MUTATION) return;
      const src = pictureOf(event.data);
      if (!src) return;
      shown.set(event.data.id, src);
      if (isSync) setTimeout(() => draw(event.data.id), 0);
      else draw(event.data.id);
    },
  };
}
