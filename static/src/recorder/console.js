// console.error / console.warn become `qorrelate.console` entries; uncaught errors and unhandled
// rejections become `qorrelate.error` entries with their stacks.
import { guard, truncate } from './util.js';

const MAX_MESSAGE = 2000;
const MAX_STACK = 4000;

function describe(value) {
  if (value instanceof Error) return value.name + ': ' + value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch (e) {
    return String(value);
  }
}

export function installConsole({ record }) {
  const restore = [];
  ['error', 'warn'].forEach((level) => {
    const original = console[level];
    if (typeof original !== 'function') return;
    let inside = false;
    const patched = function () {
      if (!inside) {
        inside = true;
        try {
          const args = Array.prototype.slice.call(arguments);
          const err = args.filter((a) => a instanceof Error)[0];
          record('qorrelate.console', {
            level,
            message: truncate(args.map(describe).join(' '), MAX_MESSAGE),
            stack: err && err.stack ? truncate(err.stack, MAX_STACK) : null,
          });
        } catch (e) {
          /* never break the page's logging */
        }
        inside = false;
      }
      return original.apply(this, arguments);
    };
    console[level] = patched;
    restore.push(() => {
      if (console[level] === patched) console[level] = original;
    });
  });
  return () => restore.forEach((f) => f());
}

export function installErrors({ record }) {
  const onError = guard((e) => {
    // Resource load failures are plain Events; only script errors are ErrorEvents.
    if (!(e instanceof ErrorEvent)) return;
    record('qorrelate.error', {
      kind: 'error',
      message: truncate(e.message || describe(e.error), MAX_MESSAGE),
      stack: e.error && e.error.stack ? truncate(e.error.stack, MAX_STACK) : null,
      source: e.filename || null,
      line: e.lineno || null,
      column: e.colno || null,
    });
  });
  const onRejection = guard((e) => {
    const reason = e.reason;
    record('qorrelate.error', {
      kind: 'unhandledrejection',
      message: truncate(describe(reason), MAX_MESSAGE),
      stack: reason && reason.stack ? truncate(reason.stack, MAX_STACK) : null,
      source: null,
      line: null,
      column: null,
    });
  });
  window.addEventListener('error', onError, true);
  window.addEventListener('unhandledrejection', onRejection);
  return () => {
    window.removeEventListener('error', onError, true);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
