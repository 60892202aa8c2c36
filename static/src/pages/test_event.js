// "Send a test event" (Overview): one tiny recorded session from this browser through the real
// intake, exactly as the recorder would send it, then waits until the sessions API finds it.

const POLL_MS = 500;
const WAIT_MS = 20000;

function uuid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
  );
}

const el = (id, tagName, childNodes = [], attributes = {}) => ({ type: 2, tagName, attributes, childNodes, id });
const text = (id, textContent) => ({ type: 3, textContent, id });

function batch(orgId, sessionId) {
  const now = Date.now();
  const url = `${location.origin}/qorrelate-test-event`;
  const body = el(
    4,
    'body',
    [el(5, 'h1', [text(6, 'Hello from Qorrelate')]), el(7, 'p', [text(8, 'This test session was sent from the dashboard to check the intake.')])],
    { style: 'font-family: sans-serif; padding: 40px' },
  );
  return {
    org: orgId,
    session_id: sessionId,
    previous_session_id: null,
    seq: 0,
    sent_at: now,
    ended: false,
    page: { url, title: 'Qorrelate test event', referrer: '' },
    meta: {
      user_agent: navigator.userAgent,
      viewport: { width: 1024, height: 640 },
      sdk: 'qorrelate-test-event/1',
      privacy_mode: 'mask-inputs',
      sample_rate: 100,
    },
    user: { id: 'test-event', traits: { source: 'dashboard' } },
    events: [
      { type: 4, data: { href: url, width: 1024, height: 640 }, timestamp: now },
      { type: 2, data: { node: { type: 0, childNodes: [el(2, 'html', [el(3, 'head'), body])], id: 1 }, initialOffset: { left: 0, top: 0 } }, timestamp: now + 1 },
      { type: 5, data: { tag: 'qorrelate.navigation', payload: { url, from: null, kind: 'load' } }, timestamp: now + 2 },
      { type: 5, data: { tag: 'qorrelate.event', payload: { name: 'test_event', payload: {} } }, timestamp: now + 1000 },
    ],
  };
}

export function bindTestEvent(box) {
  if (!box) return;
  const button = box.querySelector('#test-event-send');
  const status = box.querySelector('#test-event-status');
  const say = (message, kind = '', link = null) => {
    status.textContent = message;
    status.className = `test-event-status ${kind}`;
    if (link) {
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      status.append(' ', a);
    }
  };

  const poll = async (sessionId, deadline) => {
    const response = await fetch(`/api/v1/sessions/${sessionId}`, {
      headers: { 'X-Qorrelate-Organization': box.dataset.orgSlug, Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (response.ok) {
      status.textContent = '';
      const ok = document.createElement('strong');
      ok.textContent = 'Received ✓ ';
      status.append(ok, ' The intake stored it and the session is searchable. ');
      const link = document.createElement('a');
      link.href = `/r/${box.dataset.orgId}/${sessionId}`;
      link.textContent = 'Open the test session';
      status.append(link);
      status.className = 'test-event-status ok';
      button.disabled = false;
    } else if (Date.now() < deadline) {
      setTimeout(() => poll(sessionId, deadline), POLL_MS);
    } else {
      say(`Sent, but the session did not appear within ${WAIT_MS / 1000} s. Is the web process healthy?`, 'err');
      button.disabled = false;
    }
  };

  button.addEventListener('click', async () => {
    const sessionId = uuid();
    button.disabled = true;
    say('Sending…');
    try {
      const response = await fetch(`/ingest/v1/replay?org=${encodeURIComponent(box.dataset.orgId)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(batch(box.dataset.orgId, sessionId)),
        credentials: 'omit',
      });
      const reply = await response.json();
      if (response.status !== 200) {
        const error = reply.error || {};
        const fix = error.code === 'origin_not_allowed' && box.dataset.settingsUrl
          ? { href: box.dataset.settingsUrl, text: 'Open Settings → General' }
          : null;
        say(`The intake refused the test event: ${error.message || `HTTP ${response.status}`}`, 'err', fix);
        button.disabled = false;
        return;
      }
      say('Accepted by the intake; waiting for the session to appear…');
      poll(sessionId, Date.now() + WAIT_MS);
    } catch (error) {
      say(`Could not reach the intake: ${error}`, 'err');
      button.disabled = false;
    }
  });
}
