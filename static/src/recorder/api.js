// The page's handle on the recorder: window.qorrelate, whose methods are also the npm package's
// exports (esm.js). Each method, with what it answers when nothing records (no valid
// configuration, or before the package's init()).
import { guard } from './util.js';

export const API_METHODS = {
  identify: undefined,
  getSessionId: null,
  getSessionURL: null,
  event: undefined,
  start: false,
  stop: undefined,
  flush: undefined,
};

export function exposeApi(impl) {
  const api = { version: impl.version };
  for (const name of Object.keys(API_METHODS)) api[name] = guard(impl[name]);
  try {
    Object.defineProperty(window, 'qorrelate', { value: api, configurable: true, writable: false });
  } catch (e) {
    window.qorrelate = api;
  }
  return api;
}

// Without a valid configuration the page can still call the API without throwing.
export function exposeInertApi(version) {
  const impl = { version };
  for (const [name, answer] of Object.entries(API_METHODS)) impl[name] = () => answer;
  return exposeApi(impl);
}
