import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseCondition } from '../../src/pages/show_if.js';

test('a condition names a control and the value that shows the field', () => {
  assert.deepEqual(parseCondition('kind=threshold'), { name: 'kind', value: 'threshold' });
  assert.deepEqual(parseCondition('channel='), { name: 'channel', value: '' });
  assert.deepEqual(parseCondition('a=b=c'), { name: 'a', value: 'b=c' });
});

test('a condition without a name is ignored', () => {
  assert.equal(parseCondition('=x'), null);
  assert.equal(parseCondition('kind'), null);
  assert.equal(parseCondition(''), null);
  assert.equal(parseCondition(undefined), null);
});
