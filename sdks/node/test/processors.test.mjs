import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentSessionId, sessionIdFromHeaders, withSession } from '../dist/esm/index.js';
import { captured, withBaggage } from './support.mjs';

test('the span and log processors copy the session keys of the baggage and nothing else', async () => {
  const c = captured();
  withBaggage({ 'session.id': 's-1', 'session.previous_id': 's-0', tenant: 'acme' }, () => {
    c.tracer.startActiveSpan('work', (span) => {
      c.logger.emit({ body: 'done' });
      span.end();
    });
  });

  const [span] = c.spans.getFinishedSpans();
  assert.deepEqual(span.attributes, { 'session.id': 's-1', 'session.previous_id': 's-0' });
  assert.deepEqual(await c.logSessions(), { done: 's-1' });
});

test('an invalid session id in baggage is skipped and a log record keeps its own', async () => {
  const c = captured();
  withBaggage({ 'session.id': 'no spaces allowed' }, () => {
    c.tracer.startSpan('work').end();
    c.logger.emit({ body: 'plain' });
  });
  withBaggage({ 'session.id': 's-2' }, () => c.logger.emit({ body: 'own', attributes: { 'session.id': 'mine' } }));

  assert.deepEqual(c.spanSessions(), { work: null });
  assert.deepEqual(await c.logSessions(), { plain: null, own: 'mine' });
});

test('withSession makes a session current for work outside a request, async included', async () => {
  const c = captured();
  await withSession('job-7', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(currentSessionId(), 'job-7');
    c.tracer.startSpan('job').end();
  });

  assert.deepEqual(c.spanSessions(), { job: 'job-7' });
  assert.equal(currentSessionId(), undefined);
  assert.equal(withSession('bad id', () => currentSessionId()), undefined);
});

test('X-Session-ID wins over baggage, baggage values lose their properties and are decoded', () => {
  const headers = (h) => (name) => h[name];

  assert.equal(sessionIdFromHeaders(headers({ 'x-session-id': ' s-h ', baggage: 'session.id=s-b' })), 's-h');
  assert.equal(sessionIdFromHeaders(headers({ baggage: 'plan=pro, session.id = s-b;p=1' })), 's-b');
  assert.equal(sessionIdFromHeaders(headers({ baggage: 'session.id=a%3Ab' })), 'a:b');
  assert.equal(sessionIdFromHeaders(headers({ baggage: ['x=1', 'session.id=s-arr'] })), 's-arr');
  assert.equal(sessionIdFromHeaders(headers({ baggage: 'session.id=%E0%A4%A' })), undefined);
  assert.equal(sessionIdFromHeaders(headers({ 'x-session-id': 'x'.repeat(129) })), undefined);
  assert.equal(sessionIdFromHeaders(headers({})), undefined);
});
