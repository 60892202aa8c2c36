// OpenReplay tracker; its ingest point is answered by the benchmark's Playwright routes.
import Tracker from '@openreplay/tracker';

const tracker = new Tracker({
  projectKey: 'bench-project-key',
  ingestPoint: 'https://openreplay.bench.invalid/ingest',
  __DISABLE_SECURE_MODE: true,
  defaultInputMode: 1, // obscured, like replay.js's mask-inputs
  obscureTextEmails: false,
  network: { disabled: false, capturePayload: false },
});
tracker.start();
window.__openreplay = tracker;
