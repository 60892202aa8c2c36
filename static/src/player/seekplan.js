// Where a seek goes, decided from what is loaded (pure, so it is unit-tested on its own).
//
// A long session is loaded window by window; a far seek starts a new run at the full snapshot
// before it instead of loading everything up to it. Offsets in `snapshots` are a little early,
// never late; the server finds the exact one.

// Worth starting a run at a full snapshot rather than loading up to `target`: the nearest
// snapshot before it lies beyond what is (or is about to be) loaded.
export function snapshotRunFor({ snapshots, target, loadedUntil, windowMs }) {
  let nearest = null;
  for (const s of snapshots || []) if (s <= target) nearest = s;
  return nearest != null && nearest >= Math.max(loadedUntil, windowMs);
}

// One of:
//   'replay-all' — everything is loaded: replay the whole session and seek back into it;
//   'run'        — start a new run at the snapshot before the target (or go back before the run);
//   'wait'       — the target is not loaded yet (or the player has not started): seek once it is;
//   'seek'       — the player has the target: seek now.
export function seekPlan({ target, loader, hasReplayer, buffering, snapshots, windowMs }) {
  if (loader.done && hasReplayer && target < loader.runFrom) return 'replay-all';
  const ahead = target > loader.loadedUntil && loader.running;
  const behind = target < loader.runFrom;
  const farAhead = ahead && snapshotRunFor({ snapshots, target, loadedUntil: loader.loadedUntil + windowMs, windowMs });
  if (behind || farAhead) return 'run';
  if (!hasReplayer || buffering || ahead) return 'wait';
  return 'seek';
}

// Where the first run starts: at the snapshot before a `?t=` deep into a long session, else at 0.
export function firstRun({ startAt, snapshots, windowMs }) {
  if (startAt != null && snapshotRunFor({ snapshots, target: startAt, loadedUntil: windowMs, windowMs })) {
    return { at: startAt, snapshot: true };
  }
  return { at: 0, snapshot: false };
}
