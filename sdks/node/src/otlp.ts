// Where and how to export: the options of the stock OTLP/HTTP exporters for one Qorrelate.
export interface OtlpOptions {
  traces: { url: string; headers: Record<string, string> };
  logs: { url: string; headers: Record<string, string> };
}

/** `new OTLPTraceExporter(otlpOptions({…}).traces)`, `new OTLPLogExporter(….logs)`. */
export function otlpOptions({ endpoint, ingestKey }: { endpoint: string; ingestKey: string }): OtlpOptions {
  const base = endpoint.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${ingestKey}` };
  return { traces: { url: `${base}/v1/traces`, headers }, logs: { url: `${base}/v1/logs`, headers } };
}
