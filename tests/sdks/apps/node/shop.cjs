// A customer's Node backend (CommonJS, the way most are): @opentelemetry/sdk-node with the
// stock OTLP/HTTP exporters and @qorrelate/node from its npm tarball, an Express app and a
// Fastify app, each with a child span and a log inside every request.
const { NodeSDK, logs: sdkLogs, tracing } = require('@opentelemetry/sdk-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
const qorrelate = require('@qorrelate/node');

const otlp = qorrelate.otlpOptions({
  endpoint: process.env.QORRELATE_URL,
  ingestKey: process.env.QORRELATE_INGEST_KEY,
});
const spanExport = new tracing.BatchSpanProcessor(new OTLPTraceExporter(otlp.traces));
const logExport = new sdkLogs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter(otlp.logs) });
const sdk = new NodeSDK({
  serviceName: 'node-shop',
  spanProcessors: [new qorrelate.SessionIdSpanProcessor(), spanExport],
  logRecordProcessors: [new qorrelate.SessionIdLogProcessor(), logExport],
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
});
sdk.start();

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
  await Promise.all([spanExport.forceFlush(), logExport.forceFlush()]);
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

process.on('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0)));
