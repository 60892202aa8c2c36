// What the Node SDK (@qorrelate/node) costs on the customer's hot paths, each beside a baseline
// measured in the same run: the same work on the same OpenTelemetry JS SDK without the helper.
//
// * spans: start + end of a span inside a session (withSession), on a BasicTracerProvider with a
//   simple processor and an exporter that drops everything; with the helper
//   SessionIdSpanProcessor is in front (baggage → session.id, error check at end).
// * logs: logger.emit() the same way, with and without SessionIdLogProcessor.
// * Fastify requests: fastify.inject() (the whole request lifecycle, no socket) of a route that
//   starts a child span, with and without the qorrelateFastify plugin (X-Session-ID sent).
//
// Rates are per second of this process's CPU time (process.cpuUsage), rounds alternate baseline
// and helper, medians printed. Run from the repository root after `make setup-dev`:
//
//     node benchmarks/sdk_node_bench.mjs [--n 20000] [--rounds 5]
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'sdks/node/package.json'));
const { context } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { LoggerProvider, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const Fastify = require('fastify');
const q = require('@qorrelate/node');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--n', 20000);
const ROUNDS = arg('--rounds', 5);
const SESSION = '0b7e1f7c-3c55-4d4e-9a0b-6d1f2e3a4b5c';
const drop = { export: (items, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function tracer(withHelper) {
  const spanProcessors = [new SimpleSpanProcessor(drop)];
  if (withHelper) spanProcessors.unshift(new q.SessionIdSpanProcessor());
  return new BasicTracerProvider({ spanProcessors }).getTracer('bench');
}

async function spans(withHelper, n) {
  const t = tracer(withHelper);
  return q.withSession(SESSION, () => {
    const start = cpuSeconds();
    for (let i = 0; i < n; i++) t.startActiveSpan('work', (span) => span.end());
    return n / (cpuSeconds() - start);
  });
}

async function logs(withHelper, n) {
  const processors = [new SimpleLogRecordProcessor({ exporter: drop })];
  if (withHelper) processors.unshift(new q.SessionIdLogProcessor());
  const logger = new LoggerProvider({ processors }).getLogger('bench');
  return q.withSession(SESSION, () => {
    const start = cpuSeconds();
    for (let i = 0; i < n; i++) logger.emit({ body: 'cart loaded', attributes: { i } });
    return n / (cpuSeconds() - start);
  });
}

async function fastifyRequests(withHelper, n) {
  const t = tracer(withHelper);
  const app = Fastify();
  if (withHelper) await app.register(q.qorrelateFastify);
  app.get('/cart', async () => t.startActiveSpan('load cart', (span) => (span.end(), { items: 3 })));
  await app.ready();
  const headers = { 'x-session-id': SESSION };
  const start = cpuSeconds();
  for (let i = 0; i < n; i++) await app.inject({ method: 'GET', url: '/cart', headers });
  const rate = n / (cpuSeconds() - start);
  await app.close();
  return rate;
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`${'case'.padEnd(18)} ${'baseline/s'.padStart(12)} ${'with helper/s'.padStart(14)} ${'ratio'.padStart(7)}`);
for (const [name, measure, n] of [['spans', spans, N], ['logs', logs, N], ['Fastify requests', fastifyRequests, N / 10]]) {
  await measure(true, n / 10);
  await measure(false, n / 10);
  const base = [];
  const helper = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(await measure(false, n));
    helper.push(await measure(true, n));
  }
  const b = median(base);
  const h = median(helper);
  console.log(`${name.padEnd(18)} ${fmt(b).padStart(12)} ${fmt(h).padStart(14)} ${(h / b).toFixed(2).padStart(7)}`);
}
