import assert from 'node:assert/strict';
import { beforeEach, mock, test } from 'node:test';
import { SESSION_END, SESSION_START, sessionEvent } from '../../src/recorder/lifecycle.js';
import { createSession } from '../../src/recorder/session.js';
import { validate, schema } from '../support/schema.js';
import { MemoryStorage } from '../support/storage.js';

const T0 = Date.UTC(2026, 0, 1);
const TIMEOUT = 30 * 60 * 1000;
const MAX = 4 * 3600 * 1000;
const options = { timeoutMs: TIMEOUT, maxMs: MAX, sampleRate: 100 };

// One origin's localStorage, shared by its tabs; each tab has its own sessionStorage, and its
// page's pagehide / pageshow listeners.
let origin;
let listeners = [];
globalThis.addEventListener = (type, fn) => listeners.push([type, fn]);
function fire(type) {
  listeners.filter(([t]) => t === type).forEach(([, fn]) => fn());
}
function openTab() {
  globalThis.sessionStorage = new MemoryStorage();
  listeners = [];
}
// A reload: the page goes (pagehide), the next one starts in the same tab's storage.
function reload() {
  fire('pagehide');
  listeners = [];
}

beforeEach(() => {
  origin = new MemoryStorage();
  globalThis.localStorage = origin;
  openTab();
  mock.timers.reset();
  mock.timers.enable({ apis: ['Date'], now: T0 });
});

test('a new tab starts a new session with no previous id and seq 0', () => {
  const session = createSession(options);
  const s = session.get();
  assert.match(s.id, /^[0-9a-f-]{36}$/);
  assert.equal(s.prev, null);
  assert.equal(s.created, true);
  assert.equal(session.nextSeq(), 0);
  assert.equal(session.nextSeq(), 1);
  assert.equal(s.sampled, true);
});

test('a reload within the timeout continues the session, its window and its seq', () => {
  const first = createSession(options);
  first.nextSeq();
  first.nextSeq();
  mock.timers.tick(60 * 1000);
  reload();
  const reloaded = createSession(options);
  assert.equal(reloaded.get().id, first.get().id);
  assert.equal(reloaded.windowId(), first.windowId());
  assert.equal(reloaded.nextSeq(), 2);
});

test('a second tab joins the session with its own window id and its own seq from 0', () => {
  const first = createSession(options);
  first.nextSeq();
  first.nextSeq();
  openTab();
  const second = createSession(options);
  assert.equal(second.get().id, first.get().id);
  assert.equal(second.get().created, undefined); // joined, not started: no session.start
  assert.notEqual(second.windowId(), first.windowId());
  assert.equal(second.nextSeq(), 0);
  assert.equal(first.nextSeq(), 2);
});

test('activity in any tab keeps the session alive; inactivity past the timeout ends it', () => {
  const first = createSession(options);
  openTab();
  const second = createSession(options);
  mock.timers.tick(TIMEOUT - 1000);
  second.touch();
  mock.timers.tick(TIMEOUT - 1000);
  assert.equal(first.check(), null); // the other tab was active
  mock.timers.tick(2000);
  assert.deepEqual(first.check(), { reason: 'inactivity' });
});

test('past the maximum length the session ends even while the user is active', () => {
  const session = createSession(options);
  for (let t = 0; t < MAX; t += TIMEOUT / 2) {
    mock.timers.tick(TIMEOUT / 2);
    session.touch();
  }
  mock.timers.tick(1000);
  assert.deepEqual(session.check(), { reason: 'max_length' });
  const old = session.get().id;
  const next = session.rotate();
  assert.equal(next.prev, old);
  assert.equal(session.check(), null);
});

test('a tab adopts the new session another tab started, and numbers its batches from 0 in it', () => {
  const first = createSession(options);
  first.nextSeq();
  const firstWindow = sessionStorage;
  openTab();
  const second = createSession(options);
  mock.timers.tick(TIMEOUT + 1);
  const old = second.get().id;
  assert.deepEqual(second.check(), { reason: 'inactivity' });
  const started = second.rotate();
  assert.equal(started.prev, old);

  globalThis.sessionStorage = firstWindow;
  const change = first.check();
  assert.equal(change.adopt.id, started.id);
  first.rotate(change.adopt);
  assert.equal(first.get().id, started.id);
  assert.equal(first.nextSeq(), 0);
});

test('a stale tab never overwrites the newer session another tab started', () => {
  const first = createSession(options);
  const firstWindow = sessionStorage;
  openTab();
  const second = createSession(options);
  mock.timers.tick(TIMEOUT + 1);
  const started = second.rotate();
  globalThis.sessionStorage = firstWindow;
  first.save();
  assert.equal(JSON.parse(origin.getItem('qorrelate.session')).id, started.id);
});

test('a reload after the timeout starts a new session that remembers the previous one', () => {
  const first = createSession(options);
  const old = first.get().id;
  mock.timers.tick(TIMEOUT + 1);
  reload();
  const later = createSession(options);
  assert.notEqual(later.get().id, old);
  assert.equal(later.get().prev, old);
});

test("a duplicated tab or a popup, with a copy of the first tab's storage, gets a window of its own", () => {
  const first = createSession(options);
  first.nextSeq();
  // The browser copies sessionStorage while the first tab's page still runs (no pagehide).
  const copy = new MemoryStorage();
  copy.setItem('qorrelate.window', sessionStorage.getItem('qorrelate.window'));
  globalThis.sessionStorage = copy;
  listeners = [];
  const duplicate = createSession(options);
  assert.notEqual(duplicate.windowId(), first.windowId());
  assert.equal(duplicate.get().id, first.get().id, 'the same session, another window');
  assert.equal(duplicate.nextSeq(), 0);
  // Its own reload keeps its (new) window.
  reload();
  assert.equal(createSession(options).windowId(), duplicate.windowId());
});

test('a 0 % sample rate leaves the session unrecorded until forced, in every tab', () => {
  const session = createSession({ ...options, sampleRate: 0 });
  assert.equal(session.get().sampled, false);
  session.forceSampled();
  openTab();
  assert.equal(createSession({ ...options, sampleRate: 0 }).get().sampled, true);
});

test('without storage the session lives in memory', () => {
  const denied = {
    getItem() {
      throw new Error('denied');
    },
    setItem() {
      throw new Error('denied');
    },
  };
  globalThis.sessionStorage = denied;
  globalThis.localStorage = denied;
  const session = createSession(options);
  assert.equal(session.nextSeq(), 0);
  assert.equal(session.nextSeq(), 1);
});

test('the lifecycle events are the schema\'s, with its payload', () => {
  assert.deepEqual([SESSION_START, SESSION_END], schema.$defs.sessionEventTag.enum);
  const session = createSession(options);
  const payload = sessionEvent(session.get(), session.windowId(), 'new');
  assert.deepEqual(validate('sessionEvent', payload), []);
  assert.equal(payload['session.previous_id'], null);
});
