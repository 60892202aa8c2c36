// A customer's single-page app: @qorrelate/browser from npm, bundled with esbuild. The test puts
// the onboarding page's snippet (import + init) in front of this file. It does what the
// script-tag page of the test does, so the two recordings can be compared.
import * as Qorrelate from '@qorrelate/browser';
import { getSessionId, getSessionURL, identify, type InitOptions, type Qorrelate as Handle } from '@qorrelate/browser';

declare global {
  interface Window {
    qorrelate: Handle;
    shop: Record<string, unknown>;
  }
}

const handle: Handle | null = window.qorrelate ?? null; // init() ran in the snippet above
const again: InitOptions = { orgId: 'another-org', sampleRate: 0 };
identify('user-npm-42', { plan: 'pro' });

document.querySelector('#pay')!.addEventListener('click', async () => {
  const response = await fetch('/api/orders', { method: 'POST', body: '{}' });
  document.querySelector('#result')!.textContent = 'Order ' + response.status;
  history.pushState({}, '', '/checkout/done');
  console.error('Payment provider answered slowly');
});

window.shop = {
  exports: Object.keys(Qorrelate).sort(),
  sessionId: getSessionId(),
  sessionURL: getSessionURL(),
  started: handle !== null && typeof handle.version === 'string',
  initTwiceIsOnce: init(again) === handle,
  stop: Qorrelate.stop,
};
