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

// The events-tab icon of a mark, after its seek-bar marker style.
const ICONS = { error: 'error', finding: 'error', click: 'click', longtask: 'clock' };
const HIGH = 3;

// marks: [{t, kind, label, severity}] from the page's player config (severity: the finding's,
// 1 low to 3 high, for the detectors' findings).
// Returns the seek bar markers ({t, kind, label}) and events-tab entries to add for them. What
// went wrong in the session is what the server found (apps/insights): the player draws it and
// never works it out again from the recording.
export function markDisplays(marks) {
  const markers = [];
  const entries = [];
  for (const mark of marks || []) {
    const kind = MARK_KINDS[mark.kind];
    if (!kind) continue;
    if (kind.marker) markers.push({ t: mark.t, kind: kind.marker, label: `${kind.label}: ${mark.label}` });
    if (kind.timeline) {
      entries.push({
        t: mark.t,
        kind: mark.kind,
        icon: ICONS[kind.marker] || 'star',
        severity: mark.severity >= HIGH ? 'error' : 'warn',
        title: `${kind.label} · ${mark.label}`,
      });
    }
  }
  return { markers, entries };
}
