// window.qorrelate: the page's handle on the recorder.
import { guard } from './util.js';

export function exposeApi(impl) {
  const api = {
    identify: guard(impl.identify),
    getSessionId: guard(impl.getSessionId),
    getSessionURL: guard(impl.getSessionURL),
    event: guard(impl.event),
    start: guard(impl.start),
    stop: guard(impl.stop),
    flush: guard(impl.flush),
    version: impl.version,
  };
  try {
    Object.defineProperty(window, 'qorrelate', { value: api, configurable: true, writable: false });
  } catch (e) {
    window.qorrelate = api;
  }
  return api;
}

// Without a valid configuration the page can still call the API without throwing.
export function exposeInertApi(version) {
  const noop = () => undefined;
  return exposeApi({
    identify: noop,
    getSessionId: () => null,
    getSessionURL: () => null,
    event: noop,
    start: () => false,
    stop: noop,
    flush: noop,
    version,
  });
}
