// Page loads and single-page route changes become `qorrelate.navigation` entries.
import { redactUrl } from './redact.js';
import { guard } from './util.js';

export function installNavigation({ record }) {
  let last = location.href;
  const restore = [];

  const note = guard((kind) => {
    const href = location.href;
    if (href === last) return; // popstate and hashchange fire together for hash links
    record('qorrelate.navigation', { url: redactUrl(href), from: redactUrl(last), kind });
    last = href;
  });

  record('qorrelate.navigation', {
    url: redactUrl(last),
    from: document.referrer ? redactUrl(document.referrer) : null,
    kind: 'load',
  });

  ['pushState', 'replaceState'].forEach((name) => {
    const original = history[name];
    if (typeof original !== 'function') return;
    const patched = function () {
      const result = original.apply(this, arguments);
      note(name);
      return result;
    };
    history[name] = patched;
    restore.push(() => {
      if (history[name] === patched) history[name] = original;
    });
  });
  // A hash-only change fires popstate before hashchange: call it what it is.
  const base = (url) => url.split('#')[0];
  const onPop = () => note(base(location.href) === base(last) ? 'hashchange' : 'popstate');
  const onHash = () => note('hashchange');
  window.addEventListener('popstate', onPop);
  window.addEventListener('hashchange', onHash);
  restore.push(() => {
    window.removeEventListener('popstate', onPop);
    window.removeEventListener('hashchange', onHash);
  });
  return () => restore.forEach((f) => f());
}
