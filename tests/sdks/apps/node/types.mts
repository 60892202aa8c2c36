// Type-checked against the installed package (ESM consumer): `tsc --noEmit`.
import type { logs as sdkLogs, tracing } from '@opentelemetry/sdk-node';
import { ERROR_HEADER, otlpOptions, qorrelateExpress, SessionIdLogProcessor, SessionIdSpanProcessor, withSession } from '@qorrelate/node';

const spans: tracing.SpanProcessor = new SessionIdSpanProcessor();
const logs: sdkLogs.LogRecordProcessor = new SessionIdLogProcessor();
const header: 'X-Qorrelate-Error' = ERROR_HEADER;
const url: string = otlpOptions({ endpoint: 'https://q.example', ingestKey: 'k' }).traces.url;
const n: number = withSession('s-1', () => 1);
export { header, logs, n, qorrelateExpress, spans, url };
