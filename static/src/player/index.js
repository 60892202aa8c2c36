// The session page's player: loads the recording window by window, replays it with rrweb,
// and keeps the seek bar, the timeline panel and the `?t=` link on one clock.
import 'rrweb/dist/style.css';
import './player.css';
import { BackendPane } from './backend';
import { EventEntries } from './entries';
import { clock, duration } from './format';
import { EventLoader } from './loader';
import { NodeLabels } from './nodes';
import { Player } from './player';
import { SeekBar } from './seekbar';
import { Timeline } from './timeline';

const MARK_KINDS = {
  navigation: ['nav', 'Navigation'],
  error: ['error', 'Error'],
  console_error: ['error', 'Console error'],
  failed_request: ['network', 'Failed request'],
  rage_click: ['error', 'Rage click'],
  dead_click: ['click', 'Dead click'],
};

function start() {
  const config = JSON.parse(document.getElementById('player-config').textContent);
  const root = document.getElementById('replay');
  const stage = document.getElementById('player-stage');
  const overlay = document.getElementById('player-overlay');
  const overlayText = document.getElementById('player-overlay-text');
  const playButton = document.getElementById('ctl-play');
  const currentLabel = document.getElementById('ctl-current');
  const loadState = document.getElementById('load-state');

  let pendingSeek = config.startAt != null ? Math.min(config.startAt, config.durationMs) : null;
  let loader = null;
  const snapshots = config.snapshots || [];

  // Worth starting a run at a full snapshot rather than loading up to `target`: the nearest
  // snapshot before it lies beyond what is (or is about to be) loaded. Offsets in `snapshots`
  // are a little early, never late; the server finds the exact one.
  const snapshotRunFor = (target, loadedUntil) => {
    let nearest = null;
    for (const s of snapshots) if (s <= target) nearest = s;
    return nearest != null && nearest >= Math.max(loadedUntil, config.windowMs);
  };

  const seekTo = (t) => {
    const target = Math.max(0, Math.min(t, config.durationMs));
    if (loader.done && player.replayer && target < loader.runFrom) {
      // Everything is here now: replay the whole session and seek back into it.
      const playing = player.state === 'playing';
      buffered = null;
      loader.runFrom = 0;
      player.init(loader.allEvents());
      player.allLoaded();
      seekbar.setLoaded(config.durationMs);
      if (playing) player.play(target);
      else player.pause(target);
      return;
    }
    const ahead = target > loader.loadedUntil && loader.running;
    const behind = target < loader.runFrom;
    if (behind || (ahead && snapshotRunFor(target, loader.loadedUntil + config.windowMs))) {
      beginRun(target, true, target);
      return;
    }
    if (!player.replayer || buffered || ahead) {
      pendingSeek = target;
      overlay.hidden = false;
      overlayText.textContent = `Loading the recording up to ${clock(target)}…`;
      return;
    }
    player.seek(target);
  };

  const timeline = new Timeline(document.querySelector('.timeline'), { onSeek: seekTo });
  const seekbar = new SeekBar(document.getElementById('seek'), { durationMs: config.durationMs, onSeek: seekTo });
  const onTime = (t) => {
    root.dataset.currentMs = String(Math.round(t));
    currentLabel.textContent = clock(t);
    seekbar.set(t);
    timeline.follow(t);
  };
  const player = new Player(stage, {
    startMs: config.startMs,
    onTime,
    onState: (state) => {
      root.dataset.state = state;
      playButton.classList.toggle('playing', state === 'playing');
      playButton.setAttribute('aria-label', state === 'playing' ? 'Pause' : 'Play');
      overlay.hidden = state !== 'buffering' && state !== 'loading';
      if (state === 'buffering') overlayText.textContent = 'Loading more of the recording…';
    },
  });

  for (const mark of config.marks) {
    const kind = MARK_KINDS[mark.kind];
    if (kind) seekbar.add(mark.t, kind[0], `${kind[1]}: ${mark.label}`);
    if (mark.kind === 'rage_click' || mark.kind === 'dead_click') {
      timeline.add('events', { t: mark.t, kind: 'rage', icon: 'rage', severity: 'warn', title: `${kind[1]} · ${mark.label}` });
    }
  }
  const backend = new BackendPane({ timeline, seekbar, traces: config.traces, logs: config.logs, onSeek: seekTo });
  const entries = new EventEntries({
    startMs: config.startMs,
    timeline,
    seekbar,
    labels: new NodeLabels(),
    traces: backend.byId,
    onOpenTrace: (traceId) => {
      backend.open(traceId);
      const trace = backend.byId.get(traceId);
      if (trace) seekTo(trace.t);
    },
  });

  // Events of the current run, until the player can start on them (they include a full snapshot
  // and reach the pending seek); null while the player is running on this run.
  let buffered = [];
  const begin = () => {
    player.init(buffered);
    buffered = null;
    if (!loader.running) player.allLoaded();
    playButton.disabled = false;
    overlay.hidden = true;
    if (pendingSeek != null && pendingSeek <= loader.loadedUntil) {
      const at = pendingSeek;
      pendingSeek = null;
      player.pause(at);
    } else if (pendingSeek == null) {
      player.play(0);
    }
  };
  const beginRun = (at, snapshot, seek) => {
    if (player.replayer) player.pause();
    buffered = [];
    pendingSeek = seek;
    if (seek != null) {
      overlay.hidden = false;
      overlayText.textContent = `Loading the recording at ${clock(seek)}…`;
    }
    loader.start(at, snapshot);
  };

  loader = new EventLoader({
    url: config.eventsUrl,
    org: config.org,
    windowMs: config.windowMs,
    durationMs: config.durationMs,
    startMs: config.startMs,
    onEvents: (events, { fresh, from, until }) => {
      entries.ingest(fresh);
      seekbar.setLoaded(until, from);
      loadState.textContent = from > 0
        ? `Loaded ${clock(from)}–${clock(until)} of ${clock(config.durationMs)}`
        : `Loaded ${clock(until)} of ${clock(config.durationMs)}`;
      if (buffered) {
        buffered.push(...events);
        const ready = buffered.length >= 2 && buffered.some((e) => e.type === 2);
        if (ready && (pendingSeek == null || pendingSeek <= until)) begin();
      } else {
        player.add(events);
        if (pendingSeek != null && pendingSeek <= until) {
          const at = pendingSeek;
          pendingSeek = null;
          overlay.hidden = true;
          setTimeout(() => player.seek(at), 0);
        }
      }
    },
    onRunDone: () => {
      if (buffered) {
        if (buffered.length >= 2) begin();
        else {
          overlayText.textContent = 'This session has nothing to replay yet.';
          overlay.classList.add('overlay-empty');
        }
      }
      player.allLoaded();
      if (pendingSeek != null) {
        const at = pendingSeek;
        pendingSeek = null;
        setTimeout(() => player.seek(at), 0);
      }
    },
    onFill: (fresh) => entries.ingest(fresh),
    onDone: () => {
      root.dataset.loaded = 'true';
      loadState.textContent = 'All events loaded';
      showLongTasks(entries);
    },
    onError: (error) => {
      loadState.textContent = `Could not load events: ${error.message}`;
      if (buffered) {
        overlayText.textContent = `Could not load the recording (${error.message}). Reload to try again.`;
        overlay.classList.add('overlay-empty');
      }
    },
  });
  // `?t=` deep into a long session: start at the snapshot before it, not at the beginning.
  if (pendingSeek != null && snapshotRunFor(pendingSeek, config.windowMs)) beginRun(pendingSeek, true, pendingSeek);
  else loader.start(0, false);

  playButton.addEventListener('click', () => player.toggle());
  document.getElementById('ctl-speed').addEventListener('change', (e) => player.setSpeed(parseFloat(e.target.value)));
  document.getElementById('ctl-skip').addEventListener('change', (e) => player.setSkip(e.target.checked));
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea, button, [contenteditable]')) return;
    if (e.key === ' ') {
      e.preventDefault();
      player.toggle();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      seekTo(player.current + (e.key === 'ArrowRight' ? 5000 : -5000));
    }
  });
  for (const link of document.querySelectorAll('[data-seek]')) {
    link.addEventListener('click', (e) => {
      e.preventDefault();
      seekTo(parseFloat(link.dataset.seek));
      root.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  }
  setupShare(document.getElementById('copy-link'), config, () => player.current);
  window.qorrelatePlayer = { player, seek: seekTo, timeline, config };
}

function showLongTasks(entries) {
  const badge = document.getElementById('longtask-badge');
  if (!badge || !entries.longTasks) return;
  const plural = entries.longTasks === 1 ? '' : 's';
  badge.textContent = `${entries.longTasks} long task${plural} · main thread blocked ${duration(entries.longTaskMs)}`;
  badge.hidden = false;
}

function setupShare(button, config, now) {
  if (!button) return;
  const label = button.querySelector('span');
  const original = label.textContent;
  button.addEventListener('click', async () => {
    const url = `${config.shareUrl}?t=${Math.round(now())}`;
    button.dataset.link = url;
    try {
      await navigator.clipboard.writeText(url);
      label.textContent = `Link to ${clock(now())} copied`;
      button.classList.add('copied');
    } catch (e) {
      window.prompt('Copy this link:', url);
    }
    setTimeout(() => {
      label.textContent = original;
      button.classList.remove('copied');
    }, 2500);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
