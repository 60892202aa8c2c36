// Turns recorded events into timeline entries and seek-bar markers.
import { bytes, duration, h, shortUrl } from './format.js';
import { SESSION_END, SESSION_START } from './marks.js';

const CLICK = 2;
const INPUT_MERGE_MS = 1500;

export class EventEntries {
  constructor({ startMs, timeline, seekbar, labels, traces, onOpenTrace }) {
    this.startMs = startMs;
    this.timeline = timeline;
    this.seekbar = seekbar;
    this.labels = labels;
    this.traces = traces; // trace id → trace config
    this.onOpenTrace = onOpenTrace;
    this.lastInput = null;
    this.longTasks = 0;
    this.longTaskMs = 0;
  }

  ingest(events) {
    for (const event of events) {
      this.labels.ingest(event);
      const t = event.timestamp - this.startMs;
      if (event.type === 3) this.incremental(t, event.data || {});
      else if (event.type === 5) this.custom(t, event.data || {});
    }
  }

  incremental(t, data) {
    if (data.source === 2 && data.type === CLICK) {
      const label = this.labels.label(data.id);
      this.timeline.add('events', { t, kind: 'click', icon: 'click', title: `Click on ${label}` });
      this.seekbar.add(t, 'click', `Click on ${label}`);
    } else if (data.source === 5 && data.id != null) {
      const last = this.lastInput;
      if (last && last.id === data.id && t - last.end < INPUT_MERGE_MS) {
        last.end = t;
        return;
      }
      const label = this.labels.label(data.id);
      const entry = this.timeline.add('events', { t, kind: 'input', icon: 'input', title: `Typed in ${label}`, meta: data.isChecked != null && typeof data.text !== 'string' ? (data.isChecked ? 'checked' : 'unchecked') : '' });
      this.lastInput = { id: data.id, end: t, entry };
    }
  }

  custom(t, data) {
    const p = data.payload || {};
    switch (data.tag) {
      case 'qorrelate.navigation':
        this.timeline.add('events', { t, kind: 'nav', icon: 'nav', title: `${p.kind === 'load' ? 'Loaded' : 'Navigated to'} ${shortUrl(p.url)}`, meta: p.kind && p.kind !== 'load' ? p.kind : '' });
        break;
      case 'qorrelate.console':
        this.timeline.add('console', {
          t, kind: `console-${p.level}`, icon: p.level === 'error' ? 'error' : 'warn', severity: p.level === 'error' ? 'error' : 'warn',
          title: p.message || '(empty message)', extra: stack(p.stack),
        });
        break;
      case 'qorrelate.error':
        this.timeline.add('console', {
          t, kind: 'exception', icon: 'exception', severity: 'error',
          title: `${p.kind === 'unhandledrejection' ? 'Unhandled rejection' : 'Uncaught'}: ${p.message || 'error'}`,
          meta: p.source ? `${shortUrl(p.source)}:${p.line || 0}` : '', extra: stack(p.stack),
        });
        break;
      case 'qorrelate.network':
        this.network(t, p);
        break;
      case 'qorrelate.websocket':
        this.websocket(t, p);
        break;
      case 'qorrelate.longtask':
        this.longTasks += 1;
        this.longTaskMs += p.duration_ms || 0;
        this.timeline.add('events', { t, kind: 'longtask', icon: 'clock', severity: p.duration_ms >= 200 ? 'error' : 'warn', title: `Long task: the page was busy for ${duration(p.duration_ms)}`, meta: 'main thread' });
        this.seekbar.add(t, 'longtask', `Long task ${duration(p.duration_ms)}`);
        break;
      case 'qorrelate.vital':
        this.timeline.add('events', { t, kind: 'vital', icon: 'vital', title: `${p.name} ${p.name === 'CLS' ? Number(p.value).toFixed(3) : duration(p.value)}`, meta: 'web vital' });
        break;
      case 'qorrelate.identify':
        this.timeline.add('events', { t, kind: 'identify', icon: 'user', title: `Identified as ${p.user_id}` });
        break;
      case 'qorrelate.event':
        this.timeline.add('events', { t, kind: 'custom', icon: 'star', title: p.name || 'Custom event' });
        break;
      case SESSION_START:
      case SESSION_END: {
        const started = data.tag === SESSION_START;
        const why = String(p.reason || '').replace('_', ' ');
        this.timeline.add('events', {
          t, kind: 'session', icon: started ? 'link' : 'clock',
          title: started ? (p['session.previous_id'] ? `Session continued (${why})` : 'Session started') : `Session ended (${why})`,
          meta: p['session.previous_id'] && started ? `after ${String(p['session.previous_id']).slice(0, 8)}` : '',
        });
        break;
      }
      case 'qorrelate.dropped':
        this.timeline.add('events', { t, kind: 'dropped', icon: 'warn', severity: 'warn', title: `Recorder dropped ${p.count} events (${p.reason})` });
        break;
      default:
        break;
    }
  }

  // A WebSocket message (or the socket's open / close), recorded with network details and the
  // page's data-network-websocket opt-in; the message is text only, already redacted.
  websocket(t, p) {
    const arrows = { send: '↑ sent', receive: '↓ received', open: 'opened', close: 'closed' };
    const m = p.message;
    let extra = null;
    if (m && m.body != null) {
      extra = h('details', { class: 'net-details' }, h('summary', {}, m.truncated ? `Message (truncated, ${bytes(m.size)} in all)` : 'Message'), h('pre', { class: 'net-body' }, m.body));
    }
    this.timeline.add('network', {
      t,
      kind: 'websocket',
      icon: null,
      badge: 'WS',
      title: `${arrows[p.direction] || p.direction} ${shortUrl(p.url)}`,
      meta: [m ? bytes(m.size) : '', p.direction === 'close' ? `code ${p.code}${p.skipped ? ` · ${p.skipped} more not recorded` : ''}` : ''].filter(Boolean).join(' · '),
      extra,
    });
  }

  network(t, p) {
    const failed = p.status === 0 || p.status >= 400;
    const trace = p.trace_id ? this.traces.get(p.trace_id) : null;
    let extra = null;
    if (trace) {
      extra = h(
        'button',
        { class: 'trace-link', type: 'button', dataset: { traceId: trace.traceId } },
        h('span', { class: 'trace-link-label' }, '↳ backend'),
        ` ${trace.name}`,
        h('span', { class: trace.errors ? 'badge badge-err' : 'badge badge-ok' }, trace.httpStatus ? String(trace.httpStatus) : trace.errors ? 'error' : 'ok'),
        h('span', { class: 'muted' }, ` ${trace.service} · ${trace.spans} span${trace.spans === 1 ? '' : 's'} · ${duration(trace.durationMs)}`),
      );
      extra.addEventListener('click', () => this.onOpenTrace(trace.traceId));
    } else if (p.trace_id && p.session_header) {
      extra = h('div', { class: 'trace-missing muted small' }, 'No backend trace received for this request.');
    }
    const details = networkDetails(p);
    if (details) extra = extra ? h('div', { class: 'entry-extra' }, extra, details) : details;
    this.timeline.add('network', {
      t,
      kind: 'request',
      icon: null,
      badge: p.method,
      severity: failed ? 'error' : null,
      title: shortUrl(p.url),
      meta: [p.status == null ? 'beacon' : p.status === 0 ? (p.error || 'network error') : String(p.status), duration(p.duration_ms), bytes(p.size)].filter(Boolean).join(' · '),
      extra,
    });
  }
}

// Headers and bodies recorded for URLs on the page's data-network-details allow list, already
// redacted by the recorder. Shown as text only (textContent): a body is never rendered as HTML.
function networkDetails(p) {
  if (!p.request && !p.response) return null;
  const side = (title, d) => {
    if (!d) return h('section', { class: 'net-side' }, h('h4', {}, title), h('p', { class: 'muted small' }, 'Not recorded.'));
    const headers = Object.keys(d.headers || {}).map((name) => `${name}: ${d.headers[name]}`).join('\n');
    const b = d.body;
    let body;
    if (!b) body = h('p', { class: 'muted small' }, 'No body.');
    else if (b.body == null) body = h('p', { class: 'muted small' }, `Body not recorded (${bytes(b.size) || '0 B'}).`);
    else body = h('pre', { class: 'net-body' }, b.body);
    return h(
      'section',
      { class: 'net-side', dataset: { side: title.toLowerCase() } },
      h('h4', {}, title, b && b.truncated ? h('span', { class: 'muted small' }, ` · truncated, ${bytes(b.size)} in all`) : null),
      headers ? h('pre', { class: 'net-headers' }, headers) : null,
      body,
    );
  };
  return h('details', { class: 'net-details' }, h('summary', {}, 'Headers and body'), side('Request', p.request), side('Response', p.response));
}

function stack(text) {
  if (!text) return null;
  const details = h('details', { class: 'stack' }, h('summary', {}, 'Stack'), h('pre', {}, String(text).slice(0, 4000)));
  return details;
}
