import assert from 'node:assert/strict';
import { beforeEach, mock, test } from 'node:test';
import { createSession } from '../../src/recorder/session.js';
import { MemoryStorage } from '../support/storage.js';

const T0 = Date.UTC(2026, 0, 1);
const TIMEOUT = 30 * 60 * 1000;

beforeEach(() => {
  globalThis.sessionStorage = new MemoryStorage();
  mock.timers.reset();
  mock.timers.enable({ apis: ['Date'], now: T0 });
});

test('a new tab starts a new session with no previous id and seq 0', () => {
  const session = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  const s = session.get();
  assert.match(s.id, /^[0-9a-f-]{36}$/);
  assert.equal(s.prev, null);
  assert.equal(session.nextSeq(), 0);
  assert.equal(session.nextSeq(), 1);
  assert.equal(s.sampled, true);
});

test('a reload within the timeout continues the session and its seq', () => {
  const first = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  first.nextSeq();
  first.nextSeq();
  mock.timers.tick(60 * 1000);
  const reloaded = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  assert.equal(reloaded.get().id, first.get().id);
  assert.equal(reloaded.nextSeq(), 2);
});

test('activity keeps the session alive; inactivity past the timeout expires it', () => {
  const session = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  mock.timers.tick(TIMEOUT - 1000);
  assert.equal(session.expired(), false);
  session.touch();
  mock.timers.tick(TIMEOUT - 1000);
  assert.equal(session.expired(), false);
  mock.timers.tick(2000);
  assert.equal(session.expired(), true);
});

test('rolling over starts a new session linked to the old one, keeping the user', () => {
  const session = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  session.setUser({ id: 'user-42', traits: {} });
  session.nextSeq();
  const old = session.get().id;
  const next = session.rotate();
  assert.notEqual(next.id, old);
  assert.equal(next.prev, old);
  assert.equal(next.seq, 0);
  assert.deepEqual(next.user, { id: 'user-42', traits: {} });
});

test('a reload after the timeout starts a new session that remembers the previous one', () => {
  const first = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  const old = first.get().id;
  mock.timers.tick(TIMEOUT + 1);
  const later = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  assert.notEqual(later.get().id, old);
  assert.equal(later.get().prev, old);
});

test('a 0 % sample rate leaves the session unrecorded until forced', () => {
  const session = createSession({ timeoutMs: TIMEOUT, sampleRate: 0 });
  assert.equal(session.get().sampled, false);
  session.forceSampled();
  assert.equal(createSession({ timeoutMs: TIMEOUT, sampleRate: 0 }).get().sampled, true);
});

test('without sessionStorage the session lives in memory', () => {
  globalThis.sessionStorage = {
    getItem() {
      throw new Error('denied');
    },
    setItem() {
      throw new Error('denied');
    },
  };
  const session = createSession({ timeoutMs: TIMEOUT, sampleRate: 100 });
  assert.equal(session.nextSeq(), 0);
  assert.equal(session.nextSeq(), 1);
});
