// The optional parts of replay.js that load as their own files, from beside replay.js, only when
// the page turns them on (static/build.mjs builds each from its entry below).
export const DETAILS_READY = Symbol.for('qorrelate.networkDetails');

// static/dist/replay-network.js (entry: details-chunk.js), same directory as replay.js.
export function detailsChunkUrl(script) {
  const base = script && script.src ? script.src : location.href;
  return new URL('replay-network.js', base).href;
}
