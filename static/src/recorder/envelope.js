// The batch envelope: who and where the events of one batch come from. Its shape is defined in
// apps/replay/protocol/recorder.schema.json (the recorder's unit tests validate against it).
import { SDK } from './config.js';
import { redactUrl } from './redact.js';
import { now, truncate } from './util.js';

// session: the session state ({id, prev, user}); windowId: the tab's (session.js); seq: this
// batch's sequence number in the tab.
export function buildEnvelope({ config, session, windowId, seq, ended, win }) {
  const doc = win.document;
  return {
    org: config.orgId,
    session_id: session.id,
    previous_session_id: session.prev,
    window_id: windowId,
    seq,
    sent_at: now(),
    ended: !!ended,
    page: {
      url: redactUrl(win.location.href),
      title: config.privacyMode === 'mask-all' ? '' : truncate(doc.title, 300),
      referrer: doc.referrer ? redactUrl(doc.referrer) : '',
    },
    meta: {
      user_agent: win.navigator.userAgent,
      viewport: { width: win.innerWidth, height: win.innerHeight },
      sdk: SDK,
      privacy_mode: config.privacyMode,
      sample_rate: config.sampleRate,
    },
    user: session.user,
  };
}
