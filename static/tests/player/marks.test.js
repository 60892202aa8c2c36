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

test('kinds without a marker and unknown kinds show nothing', () => {
  const { markers, entries } = markDisplays([
    { t: 1, kind: 'identify', label: 'user-42' },
    { t: 2, kind: 'something_new', label: '?' },
  ]);
  assert.deepEqual(markers, []);
  assert.deepEqual(entries, []);
});
