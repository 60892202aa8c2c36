// A WebGL canvas clears its drawing buffer once its picture is on screen, so the canvas chunk
// (canvas.js), reading it back a few times a second, would read nothing. With canvas recording
// on, WebGL contexts created from now on keep their buffer (preserveDrawingBuffer), as rrweb's
// own canvas recorder does. This runs in replay.js itself, before the page's scripts that come
// after the tag create their contexts; the chunk arrives later.
export function preserveWebglPictures() {
  const proto = HTMLCanvasElement.prototype;
  const getContext = proto.getContext;
  proto.getContext = function (type, attrs) {
    return getContext.call(this, type, /webgl/.test(type) ? { ...attrs, preserveDrawingBuffer: true } : attrs);
  };
}
