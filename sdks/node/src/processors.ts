// Span and log record processors (the OpenTelemetry JS SDK's interfaces, typed structurally so
// they fit every SDK release line): session.id and session.previous_id from baggage onto each
// span at start and each log record at emit. Only those keys: copying all baggage would put
// whatever upstream services placed there onto your telemetry.
import { context as api, propagation, type AttributeValue, type Context } from '@opentelemetry/api';
import { PREVIOUS_SESSION_ID_ATTRIBUTE, SESSION_ID_ATTRIBUTE } from './conventions.js';
import { noteSpanEnd } from './request.js';
import { cleanSessionId } from './session.js';

const KEYS = [SESSION_ID_ATTRIBUTE, PREVIOUS_SESSION_ID_ATTRIBUTE];

/** The session entries of the baggage in `ctx`, validated. */
export function sessionEntries(ctx: Context): Record<string, string> {
  const bag = propagation.getBaggage(ctx);
  const found: Record<string, string> = {};
  if (!bag) return found;
  for (const key of KEYS) {
    const value = cleanSessionId(bag.getEntry(key)?.value);
    if (value) found[key] = value;
  }
  return found;
}

interface StartingSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
}

interface EmittedLogRecord {
  readonly attributes: Record<string, unknown>;
  setAttribute(key: string, value: AttributeValue | undefined): unknown;
}

/** Add first, before the exporting processor: `spanProcessors: [new SessionIdSpanProcessor(), …]`. */
export class SessionIdSpanProcessor {
  onStart(span: StartingSpan, parentContext: Context): void {
    for (const [key, value] of Object.entries(sessionEntries(parentContext))) span.setAttribute(key, value);
  }

  onEnd(span: { status?: { code?: number } }): void {
    noteSpanEnd(span);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Add first, before the exporting processor. A record that already has the key keeps it. */
export class SessionIdLogProcessor {
  onEmit(logRecord: EmittedLogRecord, context?: Context): void {
    for (const [key, value] of Object.entries(sessionEntries(context ?? api.active()))) {
      if (logRecord.attributes[key] === undefined) logRecord.setAttribute(key, value);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
