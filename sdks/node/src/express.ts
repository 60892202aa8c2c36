// Express (and Connect, or a plain node:http handler): `app.use(qorrelateExpress())`, first.
import { context, type Context } from '@opentelemetry/api';
import { ERROR_HEADER, ERROR_HEADER_VALUE } from './conventions.js';
import { enterRequest, EXPOSE_HEADERS, exposed, responseErrored, type RequestState } from './request.js';
import type { HeaderValue } from './session.js';

export interface NodeRequestLike {
  headers: Record<string, HeaderValue>;
  qorrelateSessionId?: string;
}

export interface NodeResponseLike {
  writeHead(statusCode: number, ...rest: any[]): unknown;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/** Adds the error header when the response's head goes out (Node calls writeHead for every
 * response, explicitly or from the first write or end). */
export function markResponse(res: NodeResponseLike, state: RequestState, ctx: Context): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: NodeResponseLike, statusCode: number, ...rest: any[]) {
    if (responseErrored(state, statusCode, ctx)) {
      this.setHeader(ERROR_HEADER, ERROR_HEADER_VALUE);
      this.setHeader(EXPOSE_HEADERS, exposed(this.getHeader(EXPOSE_HEADERS)));
    }
    return writeHead.call(this, statusCode, ...rest);
  };
}

/** Connect-style middleware: the request's `X-Session-ID` (or `baggage: session.id=…`) becomes
 * the session of every span and log record inside it, and `req.qorrelateSessionId`. */
export function qorrelateExpress() {
  return function qorrelateSession(req: NodeRequestLike, res: NodeResponseLike, next: (err?: unknown) => void): void {
    const { ctx, state } = enterRequest((name) => req.headers[name]);
    req.qorrelateSessionId = state.sessionId;
    markResponse(res, state, ctx);
    context.with(ctx, next);
  };
}
