// The seek bar: played and loaded ranges, a draggable handle, and markers for clicks,
// navigations, errors, failed requests, backend errors and long tasks.
import { clock, h } from './format.js';

const BUCKETS = 400; // at most one marker per kind per 0.25 % of the bar

export class SeekBar {
  constructor(root, { durationMs, onSeek }) {
    this.root = root;
    this.duration = Math.max(durationMs, 1);
    this.onSeek = onSeek;
    this.markers = root.querySelector('#seek-markers');
    this.played = root.querySelector('#seek-played');
    this.loaded = root.querySelector('#seek-loaded');
    this.handle = root.querySelector('#seek-handle');
    this.hover = root.querySelector('#seek-hover');
    this.taken = new Set();
    this.labels = [];
    this.dragging = false;
    root.addEventListener('pointerdown', (e) => {
      this.dragging = true;
      root.setPointerCapture(e.pointerId);
      this.seekTo(e);
    });
    root.addEventListener('pointermove', (e) => {
      this.showHover(e);
      if (this.dragging) this.seekTo(e);
    });
    root.addEventListener('pointerup', () => (this.dragging = false));
    root.addEventListener('pointerleave', () => (this.hover.hidden = true));
    root.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 30000 : 5000;
      if (e.key === 'ArrowRight') this.onSeek(Math.min(this.duration, this.value + step));
      else if (e.key === 'ArrowLeft') this.onSeek(Math.max(0, this.value - step));
      else return;
      e.preventDefault();
    });
    this.value = 0;
  }

  timeAt(event) {
    const box = this.root.getBoundingClientRect();
    const ratio = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    return ratio * this.duration;
  }

  seekTo(event) {
    this.onSeek(this.timeAt(event));
  }

  showHover(event) {
    const t = this.timeAt(event);
    const near = this.nearest(t, this.duration / 100);
    this.hover.hidden = false;
    this.hover.textContent = near ? `${clock(t)} · ${near.label}` : clock(t);
    this.hover.style.left = `${(t / this.duration) * 100}%`;
  }

  nearest(t, within) {
    let best = null;
    for (const marker of this.labels) {
      const d = Math.abs(marker.t - t);
      if (d <= within && (!best || d < best.d)) best = { d, label: marker.label };
    }
    return best;
  }

  add(t, kind, label) {
    if (t == null || !isFinite(t)) return;
    const ratio = Math.min(1, Math.max(0, t / this.duration));
    const key = `${kind}:${Math.round(ratio * BUCKETS)}`;
    this.labels.push({ t, label });
    if (this.taken.has(key)) return;
    this.taken.add(key);
    this.markers.appendChild(
      h('i', { class: `marker marker-${kind}`, style: `left:${ratio * 100}%`, title: `${clock(t)} · ${label}`, dataset: { t: String(t) } }),
    );
  }

  set(t) {
    this.value = t;
    const pct = `${Math.min(100, Math.max(0, (t / this.duration) * 100))}%`;
    this.played.style.width = pct;
    this.handle.style.left = pct;
    this.root.setAttribute('aria-valuenow', String(Math.round(t)));
  }

  // The loaded stretch, which starts later than 0 when the player began at a snapshot.
  setLoaded(until, from = 0) {
    const left = Math.min(100, Math.max(0, (from / this.duration) * 100));
    this.loaded.style.left = `${left}%`;
    this.loaded.style.width = `${Math.max(0, Math.min(100, (until / this.duration) * 100) - left)}%`;
  }
}
