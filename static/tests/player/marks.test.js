import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MARK_KINDS, markDisplays } from '../../src/player/marks.js';
import { schema } from '../support/schema.js';

test('the player knows every mark kind of the schema, with its label', () => {
  const kinds = schema.$defs.markKind.oneOf;
  assert.deepEqual(Object.keys(MARK_KINDS), kinds.map((k) => k.const));
  for (const kind of kinds) assert.equal(MARK_KINDS[kind.const].label, kind.title);
});

test('marks become seek bar markers labelled with their kind', () => {
  const { markers } = markDisplays([
    { t: 1200, kind: 'failed_request', label: 'POST /api/orders 500' },
    { t: 3000, kind: 'error', label: 'TypeError: x is undefined' },
  ]);
  assert.deepEqual(markers, [
    { t: 1200, kind: 'network', label: 'Failed request: POST /api/orders 500' },
    { t: 3000, kind: 'error', label: 'Uncaught error: TypeError: x is undefined' },
  ]);
});

test('rage and dead clicks also get an entry in the events tab', () => {
  const { markers, entries } = markDisplays([
    { t: 500, kind: 'rage_click', label: '6 clicks' },
    { t: 900, kind: 'dead_click', label: 'Click with no response' },
    { t: 950, kind: 'navigation', label: '/cart' },
  ]);
  assert.equal(markers.length, 3);
  assert.deepEqual(entries.map((e) => [e.t, e.title]), [
    [500, 'Rage click · 6 clicks'],
    [900, 'Dead click · Click with no response'],
  ]);
});

test("the server's findings are the events tab's rows for what went wrong, by kind and severity", () => {
  const sentence = 'Clicked \'Place order\'; a message appeared for 2.0 s — “Enter a valid ZIP” — then vanished, and no request was sent.';
  const { markers, entries } = markDisplays([
    { t: 1200, kind: 'invisible_error', label: sentence, severity: 2 },
    { t: 4100, kind: 'double_submit', label: 'Clicked \'Pay\' twice 150 ms apart', severity: 3 },
    { t: 7000, kind: 'slow_page', label: 'The page was blocked for 1.2 s', severity: 2 },
  ]);
  assert.deepEqual(markers.map((m) => [m.t, m.kind]), [[1200, 'finding'], [4100, 'finding'], [7000, 'longtask']]);
  assert.deepEqual(
    entries.map((e) => [e.t, e.kind, e.icon, e.severity]),
    [[1200, 'invisible_error', 'error', 'warn'], [4100, 'double_submit', 'error', 'error'], [7000, 'slow_page', 'clock', 'warn']],
  );
  assert.equal(entries[0].title, `Invisible error · ${sentence}`);
});

test('kinds without a marker and unknown kinds show nothing', () => {
  const { markers, entries } = markDisplays([
    { t: 1, kind: 'identify', label: 'user-42' },
    { t: 2, kind: 'something_new', label: '?' },
  ]);
  assert.deepEqual(markers, []);
  assert.deepEqual(entries, []);
});
