// Sentry with Session Replay, configured like replay.js's default (inputs masked, text kept).
import * as Sentry from '@sentry/browser';

Sentry.init({
  dsn: 'https://benchpublickey@sentry.bench.invalid/1',
  integrations: [Sentry.replayIntegration({ maskAllText: false, maskAllInputs: true, blockAllMedia: false })],
  replaysSessionSampleRate: 1.0,
  replaysOnErrorSampleRate: 1.0,
  tracesSampleRate: 0,
});
