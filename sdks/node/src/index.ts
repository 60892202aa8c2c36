// @qorrelate/node: the browser's replay session on your Node backend's OpenTelemetry spans and
// logs. See docs/sdk-node.md.
export {
  ERROR_HEADER,
  ERROR_HEADER_VALUE,
  PREVIOUS_SESSION_ID_ATTRIBUTE,
  SESSION_HEADER,
  SESSION_ID_ATTRIBUTE,
} from './conventions.js';
export { qorrelateExpress, markResponse } from './express.js';
export { qorrelateFastify } from './fastify.js';
export { otlpOptions, type OtlpOptions } from './otlp.js';
export { SessionIdLogProcessor, SessionIdSpanProcessor, sessionEntries } from './processors.js';
export { enterRequest, responseErrored, type RequestState } from './request.js';
export {
  cleanSessionId,
  contextWithSession,
  currentSessionId,
  sessionIdFromBaggage,
  sessionIdFromHeaders,
  withSession,
} from './session.js';
