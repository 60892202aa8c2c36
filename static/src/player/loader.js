// Loads a session's events from the events API one time window after another, so playback can
// start as soon as the first window has arrived while the rest streams in behind it.
//
// A run loads from a point to the end of the session: from 0, or (for `?t=` and far seeks) from
// the full snapshot nearest before a time (`snapshot=true`), so minute 25 of a long session
// needs minutes 20–25, not 0–25. After a run, the stretches it skipped are filled in, so the
// timeline panel ends up complete and a later seek back can replay from the start.

const RETRIES = 3;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class EventLoader {
  // fetch and wait are the browser's unless given (the unit tests pass their own).
  // tab: the window (browser tab) of the session to play, one at a time (null: the first).
  constructor({ url, org, tab, windowMs, durationMs, startMs, onEvents, onRunDone, onFill, onDone, onError, fetch, wait }) {
    this.tab = tab == null ? null : String(tab);
    this.fetch = fetch || ((...args) => globalThis.fetch(...args));
    this.wait = wait || sleep;
    this.url = url;
    this.org = org;
    this.windowMs = windowMs;
    this.durationMs = durationMs;
    this.startMs = startMs;
    this.onEvents = onEvents;
    this.onRunDone = onRunDone;
    this.onFill = onFill;
    this.onDone = onDone;
    this.onError = onError;
    this.events = []; // everything received, each event once
    this.ranges = []; // loaded [from, until) offsets, sorted and merged
    this.runFrom = 0; // the current run: what the player has, contiguous
    this.loadedUntil = 0;
    this.running = false; // the current run still loads forward
    this.done = false;
    this.generation = 0;
  }

  // The last window ends one ms after durationMs (the last event sits exactly on it).
  get last() {
    return this.durationMs + 1;
  }

  async fetchWindow(start, end, snapshot) {
    let lastError;
    const query = `start=${start}&end=${end}${snapshot ? '&snapshot=true' : ''}` +
      (this.tab === null ? '' : `&window=${encodeURIComponent(this.tab)}`);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      try {
        const response = await this.fetch(`${this.url}?${query}`, {
          headers: { Accept: 'application/json', 'X-Qorrelate-Organization': this.org },
          credentials: 'same-origin',
        });
        if (response.ok) return await response.json();
        lastError = new Error(`events API answered ${response.status}`);
        if (response.status === 429) {
          // The organization's API budget is shared with its API keys: wait as told, then retry.
          const wait = parseFloat(response.headers.get('Retry-After')) || 1;
          await this.wait(Math.min(wait, 30) * 1000);
          continue;
        }
        if (response.status < 500) throw lastError;
      } catch (error) {
        lastError = error;
        if (String(error.message).includes('answered 4')) break;
      }
      await this.wait(400 * (attempt + 1));
    }
    throw lastError;
  }

  covered(from, until) {
    return this.ranges.some(([a, b]) => a <= from && until <= b);
  }

  // Keeps what a window brought; returns the events not seen before (for the timeline panel).
  keep(events, from, until) {
    const fresh = events.filter((e) => !this.covered(e.timestamp - this.startMs, e.timestamp - this.startMs + 1));
    this.events.push(...fresh);
    const ranges = [...this.ranges, [from, until]].sort((x, y) => x[0] - y[0]);
    this.ranges = [];
    for (const range of ranges) {
      const top = this.ranges[this.ranges.length - 1];
      if (top && range[0] <= top[1]) top[1] = Math.max(top[1], range[1]);
      else this.ranges.push([...range]);
    }
    return fresh;
  }

  stored(from, until) {
    return this.events.filter((e) => e.timestamp - this.startMs >= from && e.timestamp - this.startMs < until);
  }

  allEvents() {
    return [...this.events].sort((a, b) => a.timestamp - b.timestamp);
  }

  windowEnd(start, limit) {
    return Math.min((Math.floor(start / this.windowMs) + 1) * this.windowMs, limit);
  }

  // Starts a run at `at` (cancelling the one under way); `snapshot` begins it at the nearest
  // full snapshot before `at`.
  start(at = 0, snapshot = false) {
    const generation = ++this.generation;
    this.runFrom = at;
    this.loadedUntil = at;
    this.running = true;
    this.run(generation, at, snapshot).catch((error) => {
      if (generation === this.generation) this.onError(error);
    });
  }

  async run(generation, at, snapshot) {
    const current = () => generation === this.generation;
    let start = at;
    let first = true;
    while (start < this.last) {
      const end = this.windowEnd(start, this.last);
      let events;
      let fresh;
      let from = start;
      if (!first && this.covered(start, end)) {
        events = this.stored(start, end);
        fresh = [];
      } else {
        events = await this.fetchWindow(start, end, first && snapshot);
        if (!current()) return;
        if (first && snapshot && events.length) from = Math.min(start, events[0].timestamp - this.startMs);
        fresh = this.keep(events, from, end);
      }
      if (first) this.runFrom = from;
      this.loadedUntil = Math.min(end, this.durationMs);
      this.onEvents(events, { first, fresh, from: this.runFrom, until: this.loadedUntil });
      first = false;
      start = end;
    }
    if (!current()) return;
    this.running = false;
    this.loadedUntil = this.durationMs;
    this.onRunDone();
    // The stretches this run skipped (before its snapshot, or left behind by an earlier run).
    for (const [a, b] of this.gaps()) {
      for (let start = a; start < b; ) {
        const end = this.windowEnd(start, b);
        const events = await this.fetchWindow(start, end, false);
        if (!current()) return;
        this.onFill(this.keep(events, start, end));
        start = end;
      }
    }
    this.done = true;
    this.onDone();
  }

  gaps() {
    const gaps = [];
    let at = 0;
    for (const [a, b] of this.ranges) {
      if (a > at) gaps.push([at, a]);
      at = Math.max(at, b);
    }
    if (at < this.last) gaps.push([at, this.last]);
    return gaps;
  }
}
