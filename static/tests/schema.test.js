import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schema, validate } from './support/schema.js';

test('the schema example batch is a valid batch', () => {
  for (const example of schema.$defs.batch.examples) assert.deepEqual(validate('batch', example), []);
});

test('a batch without session_id or with a negative seq is not valid', () => {
  const [example] = schema.$defs.batch.examples;
  const { session_id: _, ...noSession } = example;
  assert.notDeepEqual(validate('batch', noSession), []);
  assert.notDeepEqual(validate('batch', { ...example, seq: -1 }), []);
  assert.notDeepEqual(validate('batch', { ...example, events: [{ type: 3, timestamp: 12 }] }), []);
});

test('every mark kind is named once and has a label', () => {
  const kinds = schema.$defs.markKind.oneOf.map((k) => k.const);
  assert.equal(new Set(kinds).size, kinds.length);
  for (const kind of schema.$defs.markKind.oneOf) assert.ok(kind.title, kind.const);
});

test('a mark of an unknown kind is not valid', () => {
  assert.deepEqual(validate('mark', { t: 10, kind: 'rage_click', label: '5 clicks' }), []);
  assert.notDeepEqual(validate('mark', { t: 10, kind: 'rage', label: '5 clicks' }), []);
});
