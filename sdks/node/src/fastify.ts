// Fastify: `await app.register(qorrelateFastify)`. The plugin skips Fastify's encapsulation
// (like fastify-plugin does), so its hooks apply to every route of the instance.
import { context, type Context } from '@opentelemetry/api';
import { ERROR_HEADER, ERROR_HEADER_VALUE } from './conventions.js';
import { enterRequest, EXPOSE_HEADERS, exposed, responseErrored, type RequestState } from './request.js';
import type { HeaderValue } from './session.js';

interface FastifyRequestLike {
  headers: Record<string, HeaderValue>;
  qorrelateSessionId?: string;
}

interface FastifyReplyLike {
  statusCode: number;
  getHeader(name: string): unknown;
  header(name: string, value: string): unknown;
}

interface FastifyLike {
  addHook(name: string, hook: (...args: any[]) => void): unknown;
}

type Done = (err?: Error | null, value?: unknown) => void;

const requests = new WeakMap<object, { ctx: Context; state: RequestState }>();

function plugin(fastify: FastifyLike, _options: unknown, done: (err?: Error) => void): void {
  fastify.addHook('onRequest', (request: FastifyRequestLike, _reply: FastifyReplyLike, next: Done) => {
    const entered = enterRequest((name) => request.headers[name]);
    request.qorrelateSessionId = entered.state.sessionId;
    requests.set(request, entered);
    context.with(entered.ctx, next);
  });
  fastify.addHook('onSend', (request: FastifyRequestLike, reply: FastifyReplyLike, payload: unknown, next: Done) => {
    const entered = requests.get(request);
    if (entered && responseErrored(entered.state, reply.statusCode, entered.ctx)) {
      reply.header(ERROR_HEADER, ERROR_HEADER_VALUE);
      reply.header(EXPOSE_HEADERS, exposed(reply.getHeader(EXPOSE_HEADERS)));
    }
    next(null, payload);
  });
  done();
}

export const qorrelateFastify = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@qorrelate/node',
});
