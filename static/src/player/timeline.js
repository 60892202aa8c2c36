// The timeline panel: four tabs of entries in time order. It follows the player (entries
// after the current moment are dimmed, the current one is highlighted and kept in view) and
// clicking an entry seeks the player to it.
import { h, preciseClock } from './format.js';
import { icon } from './icons.js';

class Pane {
  constructor(list, name) {
    this.list = list;
    this.name = name;
    this.entries = [];
    this.cursor = -1; // index of the last entry at or before the current time
    this.hovered = false;
    list.addEventListener('pointerenter', () => (this.hovered = true));
    list.addEventListener('pointerleave', () => (this.hovered = false));
  }

  upperBound(t) {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(entry, now) {
    const index = this.upperBound(entry.t);
    const before = this.entries[index];
    this.entries.splice(index, 0, entry);
    this.list.insertBefore(entry.el, before ? before.el : null);
    entry.el.classList.toggle('future', entry.t > now);
    if (index <= this.cursor) this.cursor += 1;
  }

  follow(now, scroll) {
    const next = this.upperBound(now) - 1;
    if (next !== this.cursor) {
      const lo = Math.max(0, Math.min(next, this.cursor));
      const hi = Math.max(next, this.cursor);
      for (let i = lo; i <= hi && i < this.entries.length; i++) {
        this.entries[i].el.classList.toggle('future', i > next);
      }
      if (this.entries[this.cursor]) this.entries[this.cursor].el.classList.remove('current');
      if (this.entries[next]) this.entries[next].el.classList.add('current');
      this.cursor = next;
    }
    const current = this.entries[this.cursor];
    if (scroll && current && !this.hovered) {
      const target = current.el.offsetTop - this.list.clientHeight / 2 + current.el.offsetHeight / 2;
      if (Math.abs(this.list.scrollTop - target) > 4) this.list.scrollTop = Math.max(0, target);
    }
  }
}

export class Timeline {
  constructor(root, { onSeek }) {
    this.root = root;
    this.onSeek = onSeek;
    this.now = 0;
    this.panes = {};
    this.active = 'events';
    this.followBox = document.getElementById('follow');
    for (const list of root.querySelectorAll('.pane')) {
      this.panes[list.dataset.pane] = new Pane(list, list.dataset.pane);
      const empty = h('li', { class: 'pane-empty' }, emptyText(list.dataset.pane));
      list.appendChild(empty);
    }
    for (const tab of root.querySelectorAll('.tab')) {
      tab.addEventListener('click', () => this.show(tab.dataset.tab));
    }
  }

  show(name) {
    this.active = name;
    for (const tab of this.root.querySelectorAll('.tab')) {
      const on = tab.dataset.tab === name;
      tab.classList.toggle('active', on);
      tab.setAttribute('aria-selected', String(on));
    }
    for (const key in this.panes) this.panes[key].list.classList.toggle('active', key === name);
    this.panes[name].follow(this.now, this.following());
  }

  following() {
    return !this.followBox || this.followBox.checked;
  }

  // entry: {t, kind, icon, title, meta, severity, extra (Node), id}
  add(paneName, entry) {
    const pane = this.panes[paneName];
    const main = h(
      'button',
      { class: 'entry-main', type: 'button', title: `Play from ${preciseClock(entry.t)}` },
      h('span', { class: 'entry-time mono' }, preciseClock(entry.t)),
      h('span', { class: `entry-icon icon-${entry.kind}`, 'aria-hidden': 'true' }, entry.badge ? entry.badge : icon(entry.icon || 'star')),
      h('span', { class: 'entry-title', title: entry.title }, entry.title),
      entry.meta ? h('span', { class: 'entry-meta' }, entry.meta) : null,
    );
    main.addEventListener('click', () => this.onSeek(entry.t));
    entry.el = h(
      'li',
      { class: `entry kind-${entry.kind}${entry.severity ? ' sev-' + entry.severity : ''}`, dataset: { t: String(entry.t), kind: entry.kind } },
      main,
      entry.extra || null,
    );
    if (entry.id) entry.el.id = entry.id;
    const placeholder = pane.list.querySelector('.pane-empty');
    if (placeholder) placeholder.remove();
    pane.insert(entry, this.now);
    const count = this.root.querySelector(`[data-count="${paneName}"]`);
    if (count) count.textContent = String(pane.entries.length);
    return entry;
  }

  follow(now) {
    this.now = now;
    this.panes[this.active].follow(now, this.following());
    for (const key in this.panes) {
      if (key !== this.active) this.panes[key].follow(now, false);
    }
  }
}

function emptyText(pane) {
  return {
    events: 'No clicks, inputs or navigations recorded yet.',
    console: 'No console errors or warnings.',
    network: 'No requests recorded.',
    backend: 'No backend traces or logs carry this session id.',
  }[pane];
}
