// One session's playback: the loader brings the recording window by window, the player replays
// it, and the seek bar, the timeline panel and the backend tab follow the same clock.
//
// Built in dependency order (panels, then the player, then the loader), with every callback a
// method, so nothing is used before it exists.
import { BackendPane } from './backend.js';
import { EventEntries } from './entries.js';
import { clock } from './format.js';
import { EventLoader } from './loader.js';
import { markDisplays } from './marks.js';
import { NodeLabels } from './nodes.js';
import { Player } from './player.js';
import { firstRun, seekPlan } from './seekplan.js';
import { SeekBar } from './seekbar.js';
import { Timeline } from './timeline.js';

export class SessionPlayback {
  // view: {root, stage, overlay (Overlay), playButton, currentLabel, loadState, timeline, seek}
  constructor({ config, view, onLoaded }) {
    this.config = config;
    this.view = view;
    this.onLoaded = onLoaded || (() => {});
    this.pendingSeek = config.startAt != null ? Math.min(config.startAt, config.durationMs) : null;
    // Events of the current run, until the player can start on them (they include a full
    // snapshot and reach the pending seek); null while the player is running on this run.
    this.buffered = [];

    const seek = (t) => this.seekTo(t);
    this.timeline = new Timeline(view.timeline, { onSeek: seek });
    this.seekbar = new SeekBar(view.seek, { durationMs: config.durationMs, onSeek: seek });
    this.player = new Player(view.stage, {
      startMs: config.startMs,
      onTime: (t) => this.showTime(t),
      onState: (state) => this.showState(state),
    });
    this.showMarks(config.marks);
    this.backend = new BackendPane({
      timeline: this.timeline,
      seekbar: this.seekbar,
      traces: config.traces,
      logs: config.logs,
      onSeek: seek,
    });
    this.entries = new EventEntries({
      startMs: config.startMs,
      timeline: this.timeline,
      seekbar: this.seekbar,
      labels: new NodeLabels(),
      traces: this.backend.byId,
      onOpenTrace: (traceId) => this.openTrace(traceId),
    });
    this.loader = new EventLoader({
      url: config.eventsUrl,
      tab: config.window,
      org: config.org,
      windowMs: config.windowMs,
      durationMs: config.durationMs,
      startMs: config.startMs,
      onEvents: (events, info) => this.onEvents(events, info),
      onRunDone: () => this.onRunDone(),
      onFill: (fresh) => this.entries.ingest(fresh),
      onDone: () => this.onDone(),
      onError: (error) => this.onError(error),
    });
  }

  // Starts loading: at the snapshot before a `?t=` deep into a long session, else at 0.
  start() {
    const run = firstRun({ startAt: this.pendingSeek, snapshots: this.config.snapshots, windowMs: this.config.windowMs });
    if (run.snapshot) this.beginRun(run.at, true, this.pendingSeek);
    else this.loader.start(0, false);
  }

  get current() {
    return this.player.current;
  }

  showTime(t) {
    this.view.root.dataset.currentMs = String(Math.round(t));
    this.view.currentLabel.textContent = clock(t);
    this.seekbar.set(t);
    this.timeline.follow(t);
  }

  showState(state) {
    const { root, playButton, overlay } = this.view;
    root.dataset.state = state;
    playButton.classList.toggle('playing', state === 'playing');
    playButton.setAttribute('aria-label', state === 'playing' ? 'Pause' : 'Play');
    if (state === 'buffering') overlay.show('Loading more of the recording…');
    else if (state === 'loading') overlay.show();
    else overlay.hide();
  }

  showMarks(marks) {
    const { markers, entries } = markDisplays(marks);
    for (const marker of markers) this.seekbar.add(marker.t, marker.kind, marker.label);
    for (const entry of entries) this.timeline.add('events', entry);
  }

  openTrace(traceId) {
    this.backend.open(traceId);
    const trace = this.backend.byId.get(traceId);
    if (trace) this.seekTo(trace.t);
  }

  seekTo(t) {
    const { config, loader, player } = this;
    const target = Math.max(0, Math.min(t, config.durationMs));
    const plan = seekPlan({
      target,
      loader,
      hasReplayer: !!player.replayer,
      buffering: !!this.buffered,
      snapshots: config.snapshots,
      windowMs: config.windowMs,
    });
    if (plan === 'replay-all') {
      const playing = player.state === 'playing';
      this.buffered = null;
      loader.runFrom = 0;
      player.init(loader.allEvents());
      player.allLoaded();
      this.seekbar.setLoaded(config.durationMs);
      if (playing) player.play(target);
      else player.pause(target);
    } else if (plan === 'run') {
      this.beginRun(target, true, target);
    } else if (plan === 'wait') {
      this.pendingSeek = target;
      this.view.overlay.show(`Loading the recording up to ${clock(target)}…`);
    } else {
      player.seek(target);
    }
  }

  // The player starts on the buffered run.
  begin() {
    const { player, loader } = this;
    player.init(this.buffered);
    this.buffered = null;
    if (!loader.running) player.allLoaded();
    this.view.playButton.disabled = false;
    this.view.overlay.hide();
    if (this.pendingSeek != null && this.pendingSeek <= loader.loadedUntil) {
      const at = this.takePendingSeek();
      player.pause(at);
    } else if (this.pendingSeek == null) {
      player.play(0);
    }
  }

  beginRun(at, snapshot, seek) {
    if (this.player.replayer) this.player.pause();
    this.buffered = [];
    this.pendingSeek = seek;
    if (seek != null) this.view.overlay.show(`Loading the recording at ${clock(seek)}…`);
    this.loader.start(at, snapshot);
  }

  takePendingSeek() {
    const at = this.pendingSeek;
    this.pendingSeek = null;
    return at;
  }

  onEvents(events, { fresh, from, until }) {
    const { config } = this;
    this.entries.ingest(fresh);
    this.seekbar.setLoaded(until, from);
    this.view.loadState.textContent =
      from > 0
        ? `Loaded ${clock(from)}–${clock(until)} of ${clock(config.durationMs)}`
        : `Loaded ${clock(until)} of ${clock(config.durationMs)}`;
    if (this.buffered) {
      this.buffered.push(...events);
      const ready = this.buffered.length >= 2 && this.buffered.some((e) => e.type === 2);
      if (ready && (this.pendingSeek == null || this.pendingSeek <= until)) this.begin();
      return;
    }
    this.player.add(events);
    if (this.pendingSeek != null && this.pendingSeek <= until) {
      const at = this.takePendingSeek();
      this.view.overlay.hide();
      setTimeout(() => this.player.seek(at), 0);
    }
  }

  onRunDone() {
    if (this.buffered) {
      if (this.buffered.length >= 2) this.begin();
      else this.view.overlay.fail('This session has nothing to replay yet.');
    }
    this.player.allLoaded();
    if (this.pendingSeek != null) {
      const at = this.takePendingSeek();
      setTimeout(() => this.player.seek(at), 0);
    }
  }

  onDone() {
    this.view.root.dataset.loaded = 'true';
    this.view.loadState.textContent = 'All events loaded';
    this.onLoaded(this.entries);
  }

  onError(error) {
    this.view.loadState.textContent = `Could not load events: ${error.message}`;
    if (this.buffered) this.view.overlay.fail(`Could not load the recording (${error.message}). Reload to try again.`);
  }
}
