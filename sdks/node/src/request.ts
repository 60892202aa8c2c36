// One request as the middlewares see it: its session, and whether it failed. The recorder's
// replay-on-error mode starts uploading when a response says the backend failed: the
// middlewares set `X-Qorrelate-Error: 1` when the status is 5xx, when the server span has an
// error status, or when any span that ended inside the request has an error status (seen by
// SessionIdSpanProcessor), even if the app answered 200.
import { context, createContextKey, SpanStatusCode, type Context } from '@opentelemetry/api';
import { ERROR_HEADER } from './conventions.js';
import { contextWithSession, serverSpan, sessionIdFromHeaders, tagActiveSpan, type HeaderGetter } from './session.js';

export const EXPOSE_HEADERS = 'Access-Control-Expose-Headers';
const REQUEST = createContextKey('qorrelate.request');

export interface RequestState {
  sessionId: string | undefined;
  errored: boolean;
}

/** The context a request's handlers run in, and the state its spans mark. */
export function enterRequest(getHeader: HeaderGetter, parent: Context = context.active()) {
  const state: RequestState = { sessionId: sessionIdFromHeaders(getHeader), errored: false };
  let ctx = parent.setValue(REQUEST, state);
  if (state.sessionId) {
    ctx = contextWithSession(ctx, state.sessionId);
    tagActiveSpan(ctx, state.sessionId);
  }
  return { ctx, state };
}

interface SpanWithStatus {
  status?: { code?: number };
}

export function noteSpanEnd(span: SpanWithStatus): void {
  if (span.status?.code !== SpanStatusCode.ERROR) return;
  const state = context.active().getValue(REQUEST) as RequestState | undefined;
  if (state) state.errored = true;
}

export function responseErrored(state: RequestState, statusCode: number, ctx: Context): boolean {
  if (statusCode >= 500 || state.errored) return true;
  const span = serverSpan(ctx) as SpanWithStatus | undefined;
  return span?.status?.code === SpanStatusCode.ERROR;
}

/** `Access-Control-Expose-Headers` with the error header in it. */
export function exposed(current: unknown): string {
  const text = Array.isArray(current) ? current.join(', ') : current ? String(current) : '';
  if (!text) return ERROR_HEADER;
  const names = text.split(',').map((n) => n.trim().toLowerCase());
  return names.includes(ERROR_HEADER.toLowerCase()) ? text : `${text}, ${ERROR_HEADER}`;
}
