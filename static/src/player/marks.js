// The session's notable moments (rage clicks, errors, failed requests…) as the seek bar and the
// events tab show them. Kinds, labels and marker styles come from the recorder protocol schema,
// the same file the server's MarkKind is built from.
import schema from '../../../apps/replay/protocol/recorder.schema.json' with { type: 'json' };

export const MARK_KINDS = Object.fromEntries(
  schema.$defs.markKind.oneOf.map((kind) => [
    kind.const,
    { label: kind.title, marker: kind['x-marker'], timeline: kind['x-timeline'] },
  ]),
);

// The session lifecycle events (OpenTelemetry's session.start / session.end) the recorder sends.
export const [SESSION_START, SESSION_END] = schema.$defs.sessionEventTag.enum;

// marks: [{t, kind, label}] from the page's player config.
// Returns the seek bar markers ({t, kind, label}) and events-tab entries to add for them.
export function markDisplays(marks) {
  const markers = [];
  const entries = [];
  for (const mark of marks || []) {
    const kind = MARK_KINDS[mark.kind];
    if (!kind) continue;
    if (kind.marker) markers.push({ t: mark.t, kind: kind.marker, label: `${kind.label}: ${mark.label}` });
    if (kind.timeline) {
      entries.push({ t: mark.t, kind: 'rage', icon: 'rage', severity: 'warn', title: `${kind.label} · ${mark.label}` });
    }
  }
  return { markers, entries };
}
