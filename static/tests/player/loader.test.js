import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLoader } from '../../src/player/loader.js';

const START = Date.UTC(2026, 0, 1);
const WINDOW = 60_000;

// A session of one event every 10 s, a full snapshot (type 2) every 100 s, served like the
// events API: ?start=&end= offsets, and ?snapshot=true starting at the snapshot before start.
function eventsApi(durationMs, { fail = [] } = {}) {
  const events = [];
  for (let t = 0; t <= durationMs; t += 10_000) events.push({ type: t % 100_000 === 0 ? 2 : 3, timestamp: START + t });
  const requests = [];
  const fetch = async (url) => {
    const query = new URL(url, 'https://q.example').searchParams;
    let start = Number(query.get('start'));
    const end = Number(query.get('end'));
    requests.push([start, end, query.get('snapshot') === 'true']);
    const status = fail.shift();
    if (status) return new Response('{}', { status, headers: { 'Retry-After': '0' } });
    if (query.get('snapshot') === 'true') {
      const before = events.filter((e) => e.type === 2 && e.timestamp - START <= start).pop();
      if (before) start = before.timestamp - START;
    }
    const body = events.filter((e) => e.timestamp - START >= start && e.timestamp - START < end);
    return new Response(JSON.stringify(body), { status: 200 });
  };
  return { events, requests, fetch };
}

function load(api, durationMs, at = 0, snapshot = false) {
  return new Promise((resolve, reject) => {
    const seen = { windows: [], fills: [], runDone: false };
    const loader = new EventLoader({
      url: '/api/v1/sessions/s/events/',
      org: 'acme',
      windowMs: WINDOW,
      durationMs,
      startMs: START,
      fetch: api.fetch,
      wait: async () => {},
      onEvents: (events, info) => seen.windows.push({ count: events.length, fresh: info.fresh.length, from: info.from, until: info.until }),
      onRunDone: () => (seen.runDone = true),
      onFill: (fresh) => seen.fills.push(fresh.length),
      onDone: () => resolve({ loader, seen }),
      onError: reject,
    });
    loader.start(at, snapshot);
  });
}

test('a session loads one window after another, the last one ending just after its end', async () => {
  const api = eventsApi(150_000);
  const { loader, seen } = await load(api, 150_000);
  assert.deepEqual(api.requests, [[0, 60_000, false], [60_000, 120_000, false], [120_000, 150_001, false]]);
  assert.deepEqual(seen.windows.map((w) => w.until), [60_000, 120_000, 150_000]);
  assert.equal(loader.allEvents().length, api.events.length);
  assert.deepEqual(loader.gaps(), []);
});

test('a run from a snapshot starts there, then fills in what it skipped', async () => {
  const api = eventsApi(300_000);
  const { loader, seen } = await load(api, 300_000, 250_000, true);
  assert.deepEqual(api.requests[0], [250_000, 300_000, true]);
  assert.equal(seen.windows[0].from, 200_000, 'the run begins at the snapshot before 250 s');
  assert.ok(seen.runDone);
  // The gap 0–200 s is filled afterwards, window by window.
  assert.deepEqual(api.requests.slice(2).map((r) => r.slice(0, 2)), [[0, 60_000], [60_000, 120_000], [120_000, 180_000], [180_000, 200_000]]);
  assert.equal(loader.allEvents().length, api.events.length, 'every event once');
  const times = loader.allEvents().map((e) => e.timestamp);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

test('loaded ranges merge, and only what is missing is a gap', () => {
  const loader = new EventLoader({ windowMs: WINDOW, durationMs: 300_000, startMs: START });
  loader.keep([], 120_000, 180_000);
  loader.keep([], 0, 60_000);
  loader.keep([], 60_000, 90_000);
  assert.deepEqual(loader.ranges, [[0, 90_000], [120_000, 180_000]]);
  assert.deepEqual(loader.gaps(), [[90_000, 120_000], [180_000, 300_001]]);
  assert.ok(loader.covered(10_000, 80_000));
  assert.ok(!loader.covered(80_000, 130_000));
});

test('an event seen before is not handed to the timeline twice', () => {
  const loader = new EventLoader({ windowMs: WINDOW, durationMs: 120_000, startMs: START });
  const first = [{ type: 3, timestamp: START + 1000 }];
  assert.equal(loader.keep(first, 0, 60_000).length, 1);
  assert.equal(loader.keep([...first, { type: 3, timestamp: START + 70_000 }], 0, 120_000).length, 1);
});

test('windows align to the window size, and the event at the very end gets its own', () => {
  const loader = new EventLoader({ windowMs: WINDOW, durationMs: 300_000, startMs: START });
  assert.equal(loader.windowEnd(0, loader.last), 60_000);
  assert.equal(loader.windowEnd(250_000, loader.last), 300_000);
  assert.equal(loader.windowEnd(300_000, loader.last), 300_001);
});

test('a server error is retried, a client error is not', async () => {
  const flaky = eventsApi(50_000, { fail: [503] });
  await load(flaky, 50_000);
  assert.equal(flaky.requests.length, 2);

  const refused = eventsApi(50_000, { fail: [404] });
  await assert.rejects(load(refused, 50_000), /answered 404/);
  assert.equal(refused.requests.length, 1);
});

test('a rate-limited window waits as told and then loads', async () => {
  const limited = eventsApi(50_000, { fail: [429, 429] });
  const { loader } = await load(limited, 50_000);
  assert.equal(limited.requests.length, 3);
  assert.equal(loader.allEvents().length, limited.events.length);
});
