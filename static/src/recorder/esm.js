// The npm package's entry (@qorrelate/browser, built by static/build.mjs into sdks/browser/dist):
// init() starts the same recorder the script tag starts, with options in place of the tag's
// data-* attributes. It also answers on window.qorrelate, so the two never record twice.
import { API_METHODS } from './api.js';
import { readConfig } from './config.js';
import { boot } from './index.js';

function handle() {
  const api = typeof window === 'undefined' ? null : window.qorrelate;
  return api && api.version ? api : null;
}

export function init(options) {
  if (typeof window === 'undefined') return null; // server-side rendering: nothing to record
  if (handle()) return handle(); // started already (init twice, or the script tag too)
  if (!options || !options.orgId) {
    console.error(
      '[qorrelate] init() needs { orgId } (your organization\'s data-org-id, on its overview ' +
        'page in Qorrelate). Nothing will be recorded.',
    );
    return null;
  }
  try {
    // Network details and canvas recording are chunks of the package (dynamic imports the app's
    // bundler splits off too), fetched only when networkDetails / recordCanvas are set.
    boot(readConfig(null, options), (ready) => {
      import('./details.js').then(ready, () => null);
    }, undefined, (ready) => {
      import('./canvas.js').then(ready, () => null);
    });
  } catch (e) {
    /* the recorder never throws into the host page */
  }
  return handle();
}

// window.qorrelate's methods (api.js), callable before init() (or without a valid one): they do
// nothing and answer what the inert handle answers. ES modules name their exports statically;
// static/tests/recorder/esm.test.js checks these are API_METHODS.
const call = (name) => (...args) => {
  const api = handle();
  return api ? api[name](...args) : API_METHODS[name];
};

export const identify = call('identify');
export const getSessionId = call('getSessionId');
export const getSessionURL = call('getSessionURL');
export const event = call('event');
export const flush = call('flush');
export const start = call('start');
export const stop = call('stop');
