// A tracer and a logger wired like docs/sdk-node.md says, exporting to memory.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SessionIdLogProcessor, SessionIdSpanProcessor } from '../dist/esm/index.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

export function captured() {
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SessionIdSpanProcessor(), new SimpleSpanProcessor(spans)],
  });
  const loggerProvider = new LoggerProvider({
    processors: [new SessionIdLogProcessor(), new SimpleLogRecordProcessor({ exporter: logs })],
  });
  return {
    tracer: tracerProvider.getTracer('test'),
    logger: loggerProvider.getLogger('test'),
    spanSessions: () =>
      Object.fromEntries(spans.getFinishedSpans().map((s) => [s.name, s.attributes['session.id'] ?? null])),
    // The simple log processor exports after a promise: flush before reading.
    logSessions: async () => {
      await loggerProvider.forceFlush();
      return Object.fromEntries(logs.getFinishedLogRecords().map((r) => [r.body, r.attributes['session.id'] ?? null]));
    },
    spans,
  };
}

export function withBaggage(entries, fn) {
  let bag = propagation.createBaggage();
  for (const [key, value] of Object.entries(entries)) bag = bag.setEntry(key, { value });
  return context.with(propagation.setBaggage(context.active(), bag), fn);
}

export { context, trace };
