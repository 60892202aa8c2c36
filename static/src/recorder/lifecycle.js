// OpenTelemetry's session events, as rrweb custom events (type 5) on the replay's timeline:
// session.start when a tab starts a session (with the previous id when it continues one) and
// session.end when one ends (inactivity, maximum length, qorrelate.stop()). The tags and the
// payload are defined in apps/replay/protocol/recorder.schema.json ($defs sessionEventTag and
// sessionEvent); the recorder's unit tests check these against it.
export const SESSION_START = 'session.start';
export const SESSION_END = 'session.end';

export function sessionEvent(session, windowId, reason) {
  return { 'session.id': session.id, 'session.previous_id': session.prev, 'window.id': windowId, reason };
}
