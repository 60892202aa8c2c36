// The session id of a request: read from its headers, carried in OpenTelemetry baggage so the
// span and log processors, child spans and instrumented outgoing calls all see it.
import { context, createContextKey, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import { SESSION_HEADER, SESSION_ID_ATTRIBUTE, SESSION_ID_PATTERN } from './conventions.js';

const VALID = new RegExp(SESSION_ID_PATTERN);

export type HeaderValue = string | string[] | undefined | null;
export type HeaderGetter = (lowerCaseName: string) => HeaderValue;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value.join(',') : value ?? undefined;
}

/** The session id if `value` is an acceptable one (browser UUIDs; anything short and
 * header-safe), else undefined. */
export function cleanSessionId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return VALID.test(trimmed) ? trimmed : undefined;
}

/** `session.id` in a W3C `baggage` header. Parsed here rather than with @opentelemetry/core's
 * propagator: depending on core would tie this package to one OpenTelemetry release line
 * through core's narrow peer range on @opentelemetry/api. */
export function sessionIdFromBaggage(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  for (const member of raw.split(',')) {
    const eq = member.indexOf('=');
    if (eq < 0 || member.slice(0, eq).trim() !== SESSION_ID_ATTRIBUTE) continue;
    const value = member.slice(eq + 1).split(';', 1)[0].trim();
    try {
      return cleanSessionId(decodeURIComponent(value));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `X-Session-ID` first, then `session.id` in the `baggage` header. */
export function sessionIdFromHeaders(getHeader: HeaderGetter): string | undefined {
  return (
    cleanSessionId(first(getHeader(SESSION_HEADER.toLowerCase()))) ??
    sessionIdFromBaggage(first(getHeader('baggage')))
  );
}

/** `ctx` with `sessionId` in its baggage (other entries kept). */
export function contextWithSession(ctx: Context, sessionId: string): Context {
  const bag = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, bag.setEntry(SESSION_ID_ATTRIBUTE, { value: sessionId }));
}

/** The session id in the baggage of `ctx` (default: the active context). */
export function currentSessionId(ctx: Context = context.active()): string | undefined {
  return cleanSessionId(propagation.getBaggage(ctx)?.getEntry(SESSION_ID_ATTRIBUTE)?.value);
}

/** Runs `fn` with `sessionId` as the current session: for work outside a request (a job, a
 * queue consumer that knows its session). An invalid id runs `fn` unchanged. */
export function withSession<T>(sessionId: string, fn: () => T): T {
  const cleaned = cleanSessionId(sessionId);
  if (!cleaned) return fn();
  return context.with(contextWithSession(context.active(), cleaned), fn);
}

// Where @opentelemetry/instrumentation-http keeps the request's server span (core's
// setRPCMetadata; context keys are Symbol.for(description), so the same key reads it).
const RPC_METADATA = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

/** The request's server span: the HTTP instrumentation's, else the active span. (Express's
 * instrumentation makes a span per middleware, so the active one is ours, not the server's.) */
export function serverSpan(ctx: Context): Span | undefined {
  const meta = ctx.getValue(RPC_METADATA) as { span?: Span } | undefined;
  return meta?.span ?? trace.getSpan(ctx);
}

/** Sets `session.id` on the server span and the active span of `ctx` (both started before
 * the middleware, so the span processor could not see the session). */
export function tagActiveSpan(ctx: Context, sessionId: string): void {
  for (const span of new Set([serverSpan(ctx), trace.getSpan(ctx)])) {
    if (span && span.isRecording()) span.setAttribute(SESSION_ID_ATTRIBUTE, sessionId);
  }
}
