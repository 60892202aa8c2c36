import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { BODY_CAP, READ_LIMIT, TRUNCATED_MARKER, captureBody, createAllowList, createDetails, readResponse, redactBody, redactHeaders } from '../../src/recorder/details.js';
import { schema } from '../support/schema.js';

before(() => {
  globalThis.location = new URL('https://shop.example/cart');
});

test('the allow list matches URL prefixes, with * anywhere and /paths on the page origin', () => {
  const allowed = createAllowList(['/api/*', 'https://pay.example/v1/'], 'https://shop.example/cart');
  assert.equal(allowed('https://shop.example/api/cart?x=1'), true);
  assert.equal(allowed('https://shop.example/apix'), false);
  assert.equal(allowed('https://evil.example/api/cart'), false);
  assert.equal(allowed('https://pay.example/v1/charge'), true);
  assert.equal(allowed('https://pay.example/v2/charge'), false);
});

test('a pattern ends at a boundary of the URL, and a * in the host stays in the host', () => {
  const allowed = createAllowList(['https://api.example.com', '/api/orders', 'https://*.cdn.example/img/*'], 'https://shop.example/');
  assert.equal(allowed('https://api.example.com'), true);
  assert.equal(allowed('https://api.example.com/v1/x?y=1'), true);
  assert.equal(allowed('https://API.example.com/v1'), true, 'case-insensitive');
  assert.equal(allowed('https://api.example.com.evil.net/v1'), false, 'another host that starts alike');
  assert.equal(allowed('https://api.example.com:8443/v1'), false, 'another origin (port)');
  assert.equal(allowed('https://shop.example/api/orders'), true);
  assert.equal(allowed('https://shop.example/api/orders/5'), true);
  assert.equal(allowed('https://shop.example/api/orders?page=2'), true);
  assert.equal(allowed('https://shop.example/api/orders-admin'), false);
  assert.equal(allowed('https://eu.cdn.example/img/a.png'), true);
  assert.equal(allowed('https://evil.net/x.cdn.example/img/a.png'), false, 'a * of the host does not cross a /');
  assert.equal(allowed('https://evil.net?.cdn.example/img/a.png'), false);
  assert.equal(createAllowList(['*'], 'https://shop.example/')('https://any.where/x'), true);
});

test('the always-denied headers keep their name but never their value', () => {
  const h = redactHeaders([
    ['Authorization', 'Bearer abc'], ['Cookie', 'sid=1'], ['Set-Cookie', 'sid=2'], ['X-API-Key', 'k'],
    ['Proxy-Authorization', 'Basic x'], ['X-CSRF-Token', 't'], ['Content-Type', 'application/json'],
  ]);
  assert.deepEqual(h, {
    authorization: '[redacted]', cookie: '[redacted]', 'set-cookie': '[redacted]', 'x-api-key': '[redacted]',
    'proxy-authorization': '[redacted]', 'x-csrf-token': '[redacted]', 'content-type': 'application/json',
  });
});

test("the site's own header names are redacted too", () => {
  assert.deepEqual(redactHeaders([['X-Tenant', 'acme'], ['X-Request-Id', 'r1']], ['x-tenant']), { 'x-tenant': '[redacted]', 'x-request-id': 'r1' });
});

test('secret JSON keys are redacted at any depth, and card numbers, JWTs and SSNs under any key', () => {
  const body = JSON.stringify({
    user: { name: 'Ann', password: 'hunter2', card_number: '4111 1111 1111 1111', cvv: '123' },
    items: [{ sku: 'A1', note: 'pay with 4242424242424242 please' }, { id: 4111111111111111 }],
    ref: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-x', memo: 'x 123-45-6789',
    order: '1234567890123',
  });
  const out = JSON.parse(redactBody(body, 'application/json'));
  assert.equal(out.user.name, 'Ann');
  assert.equal(out.user.password, '[redacted]');
  assert.equal(out.user.card_number, '[redacted]');
  assert.equal(out.user.cvv, '[redacted]');
  assert.equal(out.items[0].note, 'pay with [redacted] please');
  assert.equal(out.items[1].id, '[redacted]');
  assert.equal(out.ref, '[redacted]');
  assert.equal(out.memo, 'x [redacted]');
  assert.equal(out.order, '1234567890123', 'a number that fails the Luhn check is kept');
});

test('URL parameters in header values are redacted, and undeclared form bodies are forms', () => {
  assert.deepEqual(redactHeaders([['Link', '<https://shop.example/next?page=2&token=abc>; rel="next"']]), {
    // Everything after a secret parameter's '=' goes: more than needed, never less.
    link: '<https://shop.example/next?page=2&token=[redacted]',
  });
  assert.equal(redactBody('event=left&password=hunter2', 'text/plain;charset=UTF-8'), 'event=left&password=[redacted]');
});

test('form bodies and JSON that cannot be parsed are redacted by name too', () => {
  assert.equal(redactBody('user=ann&password=hunter2&api_key=k', 'application/x-www-form-urlencoded'), 'user=ann&password=[redacted]&api_key=[redacted]');
  assert.equal(redactBody('{"user":"ann","password":"hunter2","n":1', 'application/json'), '{"user":"ann","password":"[redacted]","n":1');
});

test('a large body is redacted whole, then cut at the cap with a visible marker', () => {
  const big = JSON.stringify({ password: 'hunter2', filler: 'x'.repeat(200 * 1024) });
  const c = captureBody(big, 'application/json', false);
  assert.equal(c.truncated, true);
  assert.equal(c.size, big.length);
  assert.equal(c.body.length, BODY_CAP + TRUNCATED_MARKER.length);
  assert.ok(c.body.endsWith(TRUNCATED_MARKER));
  assert.ok(!c.body.includes('hunter2'));
});

test('mask-all keeps only the size, and binary bodies are not kept', () => {
  assert.deepEqual(captureBody('{"a":1}', 'application/json', true), { body: null, size: 7, truncated: false });
  assert.equal(captureBody('PNG…', 'image/png', false).body, null);
});

test('what is captured of a request is a valid networkDetails of the recorder protocol', async () => {
  const { schema, validate } = await import('../support/schema.js');
  for (const example of schema.$defs.networkEntry.examples) assert.deepEqual(validate('networkEntry', example), []);
  const side = {
    headers: redactHeaders([['Authorization', 'Bearer x'], ['Content-Type', 'application/json']]),
    body: captureBody(JSON.stringify({ password: 'x'.repeat(70000) }), 'application/json', false),
  };
  assert.deepEqual(validate('networkDetails', side), []);
  assert.deepEqual(validate('networkDetails', { ...side, body: captureBody('{}', 'application/json', true) }), []);
  assert.deepEqual(validate('networkDetails', { ...side, body: null }), []);
});

test('of a large response at most about READ_LIMIT characters are read, and the page still reads it whole', async () => {
  const chunk = 'z'.repeat(64 * 1024);
  let sent = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (sent >= 48) return controller.close();
      sent++;
      controller.enqueue(new TextEncoder().encode(chunk));
    },
  });
  const res = new Response(stream);
  const text = await readResponse(res);
  assert.ok(text.length > READ_LIMIT && text.length <= READ_LIMIT + chunk.length);
  assert.equal((await res.text()).length, 48 * chunk.length);
  assert.equal(await readResponse(new Response('{"ok":true}')), '{"ok":true}');
});

test('every header the protocol always redacts is redacted by the recorder, whatever its case', () => {
  const always = schema.$defs.networkDetails['x-redacted-headers'];
  assert.ok(always.length >= 4);
  const out = redactHeaders(always.map((name) => [name.toUpperCase(), 'value-1234']), []);
  assert.deepEqual(Object.values(out), always.map(() => '[redacted]'));
});

test('a WebSocket URL is allowed when the same http(s) URL is', () => {
  const details = createDetails({ networkDetails: ['https://chat.example/*'], redactHeaders: [], privacyMode: 'mask-inputs' }, 'https://shop.example/');
  assert.equal(details.allowed('wss://chat.example/socket'), true);
  assert.equal(details.allowed('ws://chat.example/socket'), false);
  assert.equal(details.allowed('wss://other.example/socket'), false);
});
