// Loads a session's events from the events API one time window after another, so playback can
// start as soon as the first window has arrived while the rest streams in behind it.

const RETRIES = 3;

export class EventLoader {
  constructor({ url, org, windowMs, durationMs, onEvents, onDone, onError }) {
    this.url = url;
    this.org = org;
    this.windowMs = windowMs;
    this.durationMs = durationMs;
    this.onEvents = onEvents;
    this.onDone = onDone;
    this.onError = onError;
    this.loadedUntil = 0;
    this.done = false;
  }

  async fetchWindow(start, end) {
    let lastError;
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      try {
        const response = await fetch(`${this.url}?start=${start}&end=${end}`, {
          headers: { Accept: 'application/json', 'X-Qorrelate-Organization': this.org },
          credentials: 'same-origin',
        });
        if (response.ok) return await response.json();
        lastError = new Error(`events API answered ${response.status}`);
        if (response.status === 429) {
          // The organization's API budget is shared with its API keys: wait as told, then retry.
          const wait = parseFloat(response.headers.get('Retry-After')) || 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 30) * 1000));
          continue;
        }
        if (response.status < 500) throw lastError;
      } catch (error) {
        lastError = error;
        if (String(error.message).includes('answered 4')) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 400 * (attempt + 1)));
    }
    throw lastError;
  }

  async run() {
    // The last event sits exactly at durationMs and windows exclude their end: one ms more.
    const last = this.durationMs + 1;
    try {
      for (let start = 0; start < last; start += this.windowMs) {
        const end = Math.min(start + this.windowMs, last);
        const events = await this.fetchWindow(start, end);
        this.loadedUntil = Math.min(end, this.durationMs);
        this.onEvents(events, this.loadedUntil);
      }
      this.done = true;
      this.loadedUntil = this.durationMs;
      this.onDone();
    } catch (error) {
      this.onError(error);
    }
  }
}
