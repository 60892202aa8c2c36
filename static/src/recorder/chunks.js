// The optional parts of replay.js that load as their own files, from beside replay.js, only when
// the page turns them on (static/build.mjs builds each from its entry below). A chunk hands its
// module to replay.js through a one-time hook on window, under its symbol.
export const DETAILS_READY = Symbol.for('qorrelate.networkDetails'); // replay-network.js (details-chunk.js)
export const CANVAS_READY = Symbol.for('qorrelate.canvas'); // replay-canvas.js (canvas-chunk.js)

// Loads static/dist/<file>, from the directory replay.js came from; `ready` gets its module.
export function loadChunk(script, file, symbol, ready) {
  window[symbol] = ready;
  const chunk = document.createElement('script');
  chunk.src = new URL(file, script && script.src ? script.src : location.href).href;
  chunk.async = true;
  (document.head || document.documentElement).appendChild(chunk);
}
