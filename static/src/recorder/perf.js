// Long tasks and Core Web Vitals where the browser reports them (the slow-page scenario).
// The vitals follow web-vitals' definitions closely enough for a timeline at a tenth of its size
// (the size budget of replay.js is tight): LCP is the last candidate before the first input,
// CLS the largest session window, INP the slowest interaction.
import { guard } from './util.js';

function observe(type, onEntries, extra) {
  // Browsers without an entry type (Safari and Firefox: 'longtask') ignore observe() with a
  // console warning instead of throwing: ask the list they publish first.
  const types = typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes;
  if (types && !types.includes(type)) return null;
  try {
    const observer = new PerformanceObserver(guard((list) => onEntries(list.getEntries())));
    observer.observe(Object.assign({ type, buffered: true }, extra));
    return observer;
  } catch (e) {
    return null; // entry type not supported by this browser
  }
}

// A frame later than this blocked the page (the Long Tasks API's own threshold is 50 ms of work).
const FRAME_GAP_MS = 100;

function watchFrames(record) {
  let last = 0;
  const frame = guard((now) => {
    if (document.visibilityState === 'visible' && last && now - last > FRAME_GAP_MS) {
      record('qorrelate.longtask', { duration_ms: Math.round(now - last), source: 'frame' }, Math.round(performance.timeOrigin + last));
    }
    last = document.visibilityState === 'visible' ? now : 0;
    requestAnimationFrame(frame);
  });
  // Frames stop while the tab is hidden: the first one back is not a gap.
  document.addEventListener('visibilitychange', () => {
    last = 0;
  });
  requestAnimationFrame(frame);
}

export function installPerf({ record }) {
  const vital = (name, value) => record('qorrelate.vital', { name, value: Math.round(value * 1000) / 1000 });

  const longTasks = observe('longtask', (entries) =>
    entries.forEach((e) =>
      record('qorrelate.longtask', { duration_ms: Math.round(e.duration), source: 'longtask' }, Math.round(performance.timeOrigin + e.startTime)),
    ),
  );
  // Safari and Firefox have no Long Tasks API: a gap between animation frames of a visible page
  // is the main thread blocked all the same. Only where the API is missing (a frame callback
  // costs little, but nothing is still less).
  if (!longTasks && typeof requestAnimationFrame === 'function') watchFrames(record);

  // The navigation entry is complete only once the page has loaded.
  const ttfb = guard(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav && nav.responseStart > 0) vital('TTFB', Math.max(0, nav.responseStart - (nav.activationStart || 0)));
  });
  if (document.readyState === 'complete') ttfb();
  else addEventListener('load', () => setTimeout(ttfb, 0), { once: true });

  observe('paint', (entries) =>
    entries.forEach((e) => e.name === 'first-contentful-paint' && vital('FCP', e.startTime)),
  );

  let lcp = null;
  let inputSeen = false;
  observe('largest-contentful-paint', (entries) => {
    if (!inputSeen && entries.length) lcp = entries[entries.length - 1].startTime;
  });
  const stopLcp = () => {
    inputSeen = true;
  };
  ['keydown', 'pointerdown'].forEach((t) => addEventListener(t, stopLcp, { once: true, capture: true }));

  let cls = null;
  let windowValue = 0;
  let windowStart = 0;
  let previous = 0;
  observe('layout-shift', (entries) =>
    entries.forEach((e) => {
      if (e.hadRecentInput) return;
      if (windowValue && e.startTime - previous < 1000 && e.startTime - windowStart < 5000) {
        windowValue += e.value;
      } else {
        windowValue = e.value;
        windowStart = e.startTime;
      }
      previous = e.startTime;
      cls = Math.max(cls || 0, windowValue);
    }),
  );

  let inp = null;
  observe(
    'event',
    (entries) => entries.forEach((e) => {
      if (e.interactionId) inp = Math.max(inp || 0, e.duration);
    }),
    { durationThreshold: 40 },
  );
  observe('first-input', (entries) => entries.forEach((e) => {
    inp = Math.max(inp || 0, e.duration);
  }));

  // Called when the page is hidden: reports the values that changed since the last report.
  const sent = {};
  return function reportVitals() {
    [['LCP', lcp], ['CLS', cls], ['INP', inp]].forEach(([name, value]) => {
      if (value != null && sent[name] !== value) {
        sent[name] = value;
        vital(name, value);
      }
    });
  };
}
