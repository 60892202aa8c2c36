// A customer's Node backend (CommonJS, the way most are): @opentelemetry/sdk-node with the
// stock OTLP/HTTP exporters and @qorrelate/node from its npm tarball, set up by the onboarding
// page's snippet; an Express app and a Fastify app, each with a child span and a log inside
// every request.
// The onboarding page's telemetry.js, exactly as shown (apps/orgs/snippets.py: node_telemetry).
require('./telemetry.cjs');
// Route names on Express's server spans, and a span per middleware: the session must still
// reach the server span.
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
registerInstrumentations({ instrumentations: [new ExpressInstrumentation()] });
const qorrelate = require('@qorrelate/node');

// Loaded after the SDK started, so the instrumentations patch them.
const { SpanStatusCode, trace } = require('@opentelemetry/api');
const { logs, SeverityNumber } = require('@opentelemetry/api-logs');
const express = require('express');
const Fastify = require('fastify');

const tracer = trace.getTracer('shop');
const logger = logs.getLogger('shop');

async function loadCart(framework) {
  await new Promise((resolve) => setTimeout(resolve, 5)); // an await inside the request
  return tracer.startActiveSpan('load cart', (span) => {
    span.setAttribute('cart.items', 3);
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `cart loaded (${framework})` });
    span.end();
    return { items: 3, session: qorrelate.currentSessionId() ?? null };
  });
}

function checkout() {
  tracer.startActiveSpan('charge card', (span) => {
    span.recordException(new Error('card declined'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    span.end();
  });
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment declined for order 42' });
  return { ok: false };
}

async function flush() {
  // The snippet keeps no handle on the SDK: flush the global providers it registered.
  await Promise.all([trace.getTracerProvider().getDelegate().forceFlush(), logs.getLoggerProvider().forceFlush()]);
  return { flushed: true };
}

const app = express();
app.use(qorrelate.qorrelateExpress());
app.get('/cart', async (req, res) => res.json(await loadCart('express')));
app.post('/checkout', (req, res) => res.json(checkout()));
app.get('/inventory', () => {
  throw new Error('inventory service down');
});
app.post('/_flush', async (req, res) => res.json(await flush()));
app.listen(Number(process.env.EXPRESS_PORT), '127.0.0.1');

const fastify = Fastify();
fastify.register(qorrelate.qorrelateFastify);
fastify.get('/cart', async () => loadCart('fastify'));
fastify.post('/checkout', async () => checkout());
fastify.get('/inventory', async () => {
  throw new Error('inventory service down');
});
fastify.listen({ port: Number(process.env.FASTIFY_PORT), host: '127.0.0.1' });
