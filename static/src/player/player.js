// The replay itself: rrweb's Replayer, scaled into the stage, on the session's clock
// (milliseconds from the session's first event, the same clock as `?t=`).
import { Replayer } from 'rrweb';
import { canvasPictures } from './canvas.js';
import { Neutraliser } from './neutralise.js';

export class Player {
  constructor(stage, { startMs, onTime, onState }) {
    this.stage = stage;
    this.startMs = startMs;
    this.onTime = onTime;
    this.onState = onState;
    this.replayer = null;
    this.base = 0; // session offset of the replayer's time 0
    this.position = 0; // session offset while paused
    this.state = 'loading';
    this.speed = 1;
    this.skip = true;
    this.size = { width: 1280, height: 720 };
    this.waitingForEvents = false;
    this.loop = this.loop.bind(this);
    new ResizeObserver(() => this.fit()).observe(stage);
  }

  // Also called again to start over on other events (a run from a later snapshot, or the whole
  // session once it is loaded): the old replayer goes first.
  init(events) {
    if (this.replayer) {
      this.replayer.destroy();
      this.replayer = null;
      this.stage.classList.remove('skipping');
    }
    // Recorded URLs never reach rrweb: see neutralise.js.
    this.neutraliser = new Neutraliser();
    events = this.neutraliser.events(events);
    events.sort((a, b) => a.timestamp - b.timestamp);
    this.base = events[0].timestamp - this.startMs;
    const meta = events.find((e) => e.type === 4);
    if (meta && meta.data) this.size = { width: meta.data.width || 1280, height: meta.data.height || 720 };
    this.shape();
    this.replayer = new Replayer(events, {
      root: this.stage,
      skipInactive: this.skip,
      speed: this.speed,
      showWarning: false,
      mouseTail: { strokeStyle: 'rgba(91, 76, 240, 0.55)', lineWidth: 2, duration: 600 },
      triggerFocus: false,
      insertStyleRules: ['html { scrollbar-width: thin; }'],
      plugins: [canvasPictures()],
    });
    this.replayer.on('resize', (dimension) => {
      this.size = { width: dimension.width, height: dimension.height };
      this.shape();
      this.fit();
    });
    this.replayer.on('finish', () => {
      // rrweb announces the end on a timer set when the last event was played (50 ms and
      // more later, longer on a busy machine). If the viewer paused or seeked since, that end
      // is stale: taking it would move the clock (and the timeline) away from where they are.
      if (this.state !== 'playing') return;
      this.position = this.readReplayer();
      if (this.moreComing) {
        this.waitingForEvents = true;
        this.setState('buffering');
      } else {
        this.setState('ended');
      }
    });
    this.replayer.on('skip-start', () => this.stage.classList.add('skipping'));
    this.replayer.on('skip-end', () => this.stage.classList.remove('skipping'));
    this.replayer.disableInteract();
    this.moreComing = true;
    this.fit();
  }

  add(events) {
    if (!this.replayer) return;
    for (const event of this.neutraliser.events(events)) this.replayer.addEvent(event);
    if (this.waitingForEvents && events.length) {
      this.waitingForEvents = false;
      // addEvent is applied on a microtask; resume after it.
      setTimeout(() => this.play(this.position), 0);
    }
  }

  allLoaded() {
    this.moreComing = false;
    if (this.waitingForEvents) {
      this.waitingForEvents = false;
      this.setState('ended');
    }
  }

  // The stage takes the recording's proportions (within the page's limits).
  shape() {
    const { width, height } = this.size;
    if (width > 0 && height > 0) this.stage.style.aspectRatio = `${width} / ${height}`;
  }

  // Scales the replay to the stage's full width or height, centred. The size is the replay
  // frame's own (rrweb sets it from the recording's viewport), so a recording whose size the
  // player guessed, or that rrweb resizes later, is fitted all the same; the frame is observed
  // too, since rrweb resizes it without telling the stage.
  fit() {
    const wrapper = this.replayer && this.replayer.wrapper;
    if (!wrapper) return;
    const frame = this.replayer.iframe;
    if (frame && frame !== this.observedFrame) {
      this.observedFrame = frame;
      new ResizeObserver(() => this.fit()).observe(frame);
    }
    const width = (frame && frame.offsetWidth) || this.size.width;
    const height = (frame && frame.offsetHeight) || this.size.height;
    const box = this.stage.getBoundingClientRect();
    if (!box.width || !box.height || !width || !height) return;
    const scale = Math.min(box.width / width, box.height / height);
    wrapper.style.transformOrigin = 'top left';
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.position = 'absolute';
    wrapper.style.left = `${Math.max(0, (box.width - width * scale) / 2)}px`;
    wrapper.style.top = `${Math.max(0, (box.height - height * scale) / 2)}px`;
  }

  readReplayer() {
    return this.replayer ? this.replayer.getCurrentTime() + this.base : 0;
  }

  get current() {
    return this.state === 'playing' ? this.readReplayer() : this.position;
  }

  setState(state) {
    this.state = state;
    this.onState(state);
    this.onTime(this.current);
  }

  play(at) {
    if (!this.replayer) return;
    const t = at == null ? this.position : at;
    this.position = t;
    this.waitingForEvents = false;
    this.replayer.play(Math.max(0, t - this.base));
    this.setState('playing');
    requestAnimationFrame(this.loop);
  }

  pause(at) {
    if (!this.replayer) return;
    const t = at == null ? this.current : at;
    this.position = t;
    this.waitingForEvents = false;
    this.replayer.pause(Math.max(0, t - this.base));
    this.setState('paused');
  }

  toggle() {
    if (this.state === 'playing') this.pause();
    else if (this.state === 'ended') this.play(0);
    else this.play();
  }

  seek(t) {
    if (this.state === 'playing') this.play(t);
    else this.pause(t);
  }

  setSpeed(speed) {
    this.speed = speed;
    if (this.replayer) this.replayer.setConfig({ speed });
  }

  setSkip(skip) {
    this.skip = skip;
    if (this.replayer) this.replayer.setConfig({ skipInactive: skip });
  }

  loop() {
    if (this.state !== 'playing') return;
    this.onTime(this.readReplayer());
    requestAnimationFrame(this.loop);
  }
}
