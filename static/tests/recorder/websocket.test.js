import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { BODY_CAP, captureBody } from '../../src/recorder/details.js';
import { WS_MAX_MESSAGES, watchWebSockets } from '../../src/recorder/websocket.js';
import { validate } from '../support/schema.js';

// A WebSocket that only dispatches what a test tells it to: Node has no network here.
class FakeSocket extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.sent = [];
  }

  send(data) {
    this.sent.push(data);
  }
}

let recorded;
beforeEach(() => {
  globalThis.location = new URL('https://shop.example/');
  globalThis.window = { WebSocket: FakeSocket };
  recorded = [];
  watchWebSockets({
    record: (tag, payload) => recorded.push({ tag, payload }),
    allowed: (url) => url.startsWith('wss://chat.example/'),
    capture: (text, type) => captureBody(text, type, false),
  });
});

test('a socket to an allowed URL records its messages redacted, each a valid entry', () => {
  const ws = new globalThis.window.WebSocket('wss://chat.example/room?token=abc');
  ws.send('{"password":"hunter2","text":"hi"}');
  ws.dispatchEvent(Object.assign(new Event('message'), { data: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdef' }));
  ws.dispatchEvent(Object.assign(new Event('close'), { code: 1000 }));

  assert.deepEqual(ws.sent, ['{"password":"hunter2","text":"hi"}'], 'the page\'s message goes out as it was');
  assert.deepEqual(recorded.map((r) => r.payload.direction), ['send', 'receive', 'close']);
  for (const { tag, payload } of recorded) {
    assert.equal(tag, 'qorrelate.websocket');
    assert.equal(payload.url, 'wss://chat.example/room?token=[redacted]');
    assert.deepEqual(validate('websocketEntry', payload), []);
  }
  assert.equal(recorded[0].payload.message.body, '{"password":"[redacted]","text":"hi"}');
  assert.equal(recorded[1].payload.message.body, '[redacted]');
});

test('binary messages keep only their size, and a long message is cut at the body cap', () => {
  const ws = new globalThis.window.WebSocket('wss://chat.example/');
  ws.send(new Uint8Array(10).buffer);
  ws.send('y'.repeat(BODY_CAP + 10));
  assert.deepEqual(recorded[0].payload.message, { body: null, size: 10, truncated: false });
  assert.equal(recorded[1].payload.message.truncated, true);
  assert.equal(recorded[1].payload.message.size, BODY_CAP + 10);
});

test('past the cap a socket records no more messages, and its close says how many were left out', () => {
  const ws = new globalThis.window.WebSocket('wss://chat.example/');
  for (let i = 0; i < WS_MAX_MESSAGES + 7; i++) ws.send('m' + i);
  ws.dispatchEvent(Object.assign(new Event('close'), { code: 1001 }));
  assert.equal(recorded.length, WS_MAX_MESSAGES + 1);
  assert.deepEqual(recorded.at(-1).payload, { url: 'wss://chat.example/', direction: 'close', message: null, code: 1001, skipped: 7 });
  assert.equal(ws.sent.length, WS_MAX_MESSAGES + 7);
});

test('a socket to another URL is left alone, and the constructor stays a WebSocket', () => {
  const ws = new globalThis.window.WebSocket('wss://other.example/');
  ws.send('not recorded');
  assert.equal(recorded.length, 0);
  assert.ok(ws instanceof FakeSocket);
  assert.equal(globalThis.window.WebSocket.__qorrelate, true);
});
