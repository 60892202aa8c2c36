// The backend tab: this session's traces and logs, and their waterfalls opened inline.
import { duration, h } from './format.js';

export class BackendPane {
  constructor({ timeline, seekbar, traces, logs, onSeek }) {
    this.timeline = timeline;
    this.onSeek = onSeek;
    this.byId = new Map();
    for (const trace of traces) {
      this.byId.set(trace.traceId, trace);
      this.addTrace(trace);
      if (trace.errors) seekbar.add(trace.t, 'backend', `Backend error: ${trace.name}`);
    }
    for (const log of logs) this.addLog(log);
  }

  addTrace(trace) {
    const toggle = h('button', { class: 'btn btn-small wf-toggle', type: 'button', 'aria-expanded': 'false' }, 'Waterfall ▾');
    const body = h('div', { class: 'wf-slot', hidden: true });
    const extra = h(
      'div',
      { class: 'trace-extra' },
      h('div', { class: 'trace-actions' }, toggle, h('a', { class: 'small', href: trace.url }, 'Trace page ↗'), h('span', { class: 'mono small muted', title: trace.traceId }, trace.traceId.slice(0, 12) + '…')),
      body,
    );
    toggle.addEventListener('click', () => this.toggle(trace, toggle, body));
    trace.entry = this.timeline.add('backend', {
      t: trace.t,
      kind: 'trace',
      icon: 'trace',
      id: `trace-${trace.traceId}`,
      severity: trace.errors ? 'error' : null,
      title: trace.name,
      meta: [trace.service, trace.httpStatus ? String(trace.httpStatus) : trace.errors ? 'error' : '', duration(trace.durationMs), `${trace.spans} span${trace.spans === 1 ? '' : 's'}`].filter(Boolean).join(' · '),
      extra,
    });
    trace.toggle = toggle;
    trace.body = body;
  }

  addLog(log) {
    this.timeline.add('backend', {
      t: log.t,
      kind: `log-${log.level}`,
      icon: log.level === 'error' ? 'error' : log.level === 'warn' ? 'warn' : 'log',
      severity: log.level === 'error' ? 'error' : log.level === 'warn' ? 'warn' : null,
      title: log.body || '(empty log record)',
      meta: [log.severity || log.level.toUpperCase(), log.service].filter(Boolean).join(' · '),
    });
  }

  async toggle(trace, toggle, body) {
    const open = body.hidden;
    body.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Waterfall ▴' : 'Waterfall ▾';
    if (open && !trace.loaded) {
      trace.loaded = true;
      body.textContent = 'Loading the waterfall…';
      try {
        const response = await fetch(trace.waterfallUrl, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        body.innerHTML = await response.text();
        this.bind(trace, body);
      } catch (error) {
        trace.loaded = false;
        body.textContent = `Could not load the waterfall (${error.message}).`;
      }
    }
  }

  bind(trace, body) {
    for (const row of body.querySelectorAll('.wf-row')) {
      const detail = body.querySelector(`[data-detail-for="${row.dataset.spanId}"]`);
      const activate = () => {
        const offset = parseFloat(row.dataset.offsetMs) || 0;
        for (const other of body.querySelectorAll('.wf-row.selected')) other.classList.remove('selected');
        row.classList.add('selected');
        if (detail) {
          detail.hidden = !detail.hidden;
          row.classList.toggle('open', !detail.hidden);
          row.setAttribute('aria-expanded', String(!detail.hidden));
        }
        this.onSeek(trace.t + offset);
      };
      row.addEventListener('click', activate);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          activate();
        }
      });
    }
  }

  // From a network request: show this trace in the backend tab with its waterfall open.
  open(traceId) {
    const trace = this.byId.get(traceId);
    if (!trace) return;
    this.timeline.show('backend');
    if (trace.body.hidden) this.toggle(trace, trace.toggle, trace.body);
    const list = trace.entry.el.parentElement;
    list.scrollTop = trace.entry.el.offsetTop - 8;
    trace.entry.el.classList.add('flash-entry');
    setTimeout(() => trace.entry.el.classList.remove('flash-entry'), 1200);
  }
}
