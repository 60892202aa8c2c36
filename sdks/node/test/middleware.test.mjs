// The Express and Fastify middleware in real apps: spans and logs inside the request (async
// too) carry the session; a failed request's response carries the error header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import express from 'express';
import Fastify from 'fastify';
import { qorrelateExpress, qorrelateFastify } from '../dist/esm/index.js';
import { captured } from './support.mjs';

function routes(c) {
  return {
    async cart() {
      await new Promise((resolve) => setImmediate(resolve));
      c.tracer.startActiveSpan('load cart', (span) => {
        c.logger.emit({ body: 'cart loaded' });
        span.end();
      });
      return { items: 3 };
    },
    checkout() {
      c.tracer.startActiveSpan('charge card', (span) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
        span.end();
      });
      return { ok: false };
    },
  };
}

async function expressApp(c) {
  const r = routes(c);
  const app = express();
  app.use(qorrelateExpress());
  app.get('/cart', async (req, res) => res.json({ ...(await r.cart()), session: req.qorrelateSessionId }));
  app.post('/checkout', (req, res) => res.json(r.checkout()));
  app.get('/inventory', () => {
    throw new Error('inventory down');
  });
  app.get('/cors', (req, res) => {
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    res.status(502).end();
  });
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    request: (method, path, headers = {}) => fetch(base + path, { method, headers }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function fastifyApp(c) {
  const r = routes(c);
  const app = Fastify();
  await app.register(qorrelateFastify);
  app.get('/cart', async (request) => ({ ...(await r.cart()), session: request.qorrelateSessionId }));
  app.post('/checkout', async () => r.checkout());
  app.get('/inventory', async () => {
    throw new Error('inventory down');
  });
  app.get('/cors', async (request, reply) => {
    reply.header('Access-Control-Expose-Headers', 'X-Request-Id').code(502).send('');
  });
  await app.ready();
  return {
    async request(method, path, headers = {}) {
      const res = await app.inject({ method, url: path, headers });
      return { status: res.statusCode, headers: new Headers(res.headers), json: async () => res.json() };
    },
    close: () => app.close(),
  };
}

for (const [name, make] of [['express', expressApp], ['fastify', fastifyApp]]) {
  test(`${name}: the X-Session-ID of a request reaches its spans and logs, after an await too`, async () => {
    const c = captured();
    const app = await make(c);
    const res = await app.request('GET', '/cart', { 'X-Session-ID': `s-${name}` });
    const body = await res.json();
    await app.close();

    assert.deepEqual(body, { items: 3, session: `s-${name}` });
    assert.equal(res.headers.get('x-qorrelate-error'), null);
    assert.deepEqual(c.spanSessions(), { 'load cart': `s-${name}` });
    assert.deepEqual(await c.logSessions(), { 'cart loaded': `s-${name}` });
  });

  test(`${name}: baggage alone is enough, and a request without a session is left alone`, async () => {
    const c = captured();
    const app = await make(c);
    await app.request('GET', '/cart', { baggage: `plan=pro,session.id=b-${name}` });
    await app.request('GET', '/cart');
    await app.close();

    const sessions = c.spans.getFinishedSpans().map((s) => s.attributes['session.id'] ?? null);
    assert.deepEqual(sessions, [`b-${name}`, null]);
  });

  test(`${name}: a failed span in a 200 answer, and a 500, get the error header, exposed to CORS`, async () => {
    const c = captured();
    const app = await make(c);
    const checkout = await app.request('POST', '/checkout', { 'X-Session-ID': 's-err' });
    const inventory = await app.request('GET', '/inventory', { 'X-Session-ID': 's-err' });
    const cors = await app.request('GET', '/cors');
    await app.close();

    assert.equal(checkout.status, 200);
    assert.equal(checkout.headers.get('x-qorrelate-error'), '1');
    assert.equal(checkout.headers.get('access-control-expose-headers'), 'X-Qorrelate-Error');
    assert.equal(inventory.status, 500);
    assert.equal(inventory.headers.get('x-qorrelate-error'), '1');
    assert.equal(cors.headers.get('x-qorrelate-error'), '1');
    assert.equal(cors.headers.get('access-control-expose-headers'), 'X-Request-Id, X-Qorrelate-Error');
  });
}
