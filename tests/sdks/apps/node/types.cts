// Type-checked against the installed package (CommonJS consumer): `tsc --noEmit`.
import qorrelate = require('@qorrelate/node');

const id: string | undefined = qorrelate.sessionIdFromHeaders((name) => (name === 'x-session-id' ? 's-1' : undefined));
export = { id, fastify: qorrelate.qorrelateFastify };
