// Decides which requests carry the session headers and builds them: X-Session-ID, W3C baggage
// (merged with any existing entries) and, when the request has none, a fresh W3C traceparent.
import { SESSION_ID_ATTRIBUTE } from './conventions.js';
import { originOf, randomHex } from './util.js';

function toMatcher(pattern) {
  // "https://*.example.com" matches any subdomain of example.com over https.
  const star = pattern.indexOf('://*.');
  if (star > 0) {
    const scheme = pattern.slice(0, star + 3);
    const suffix = pattern.slice(star + 4);
    return (origin) => origin.indexOf(scheme) === 0 && origin.slice(-suffix.length) === suffix;
  }
  const exact = originOf(pattern);
  return (origin) => origin === exact;
}

export function createPropagation({ propagateTo, intakeUrl, traceparent }) {
  const matchers = propagateTo.map(toMatcher);

  return {
    // `url` is absolute here; the intake's own requests are never tagged nor recorded.
    isIntake(url) {
      return url.indexOf(intakeUrl) === 0;
    },
    shouldTag(url) {
      const origin = originOf(url);
      if (!origin) return false;
      if (origin === location.origin) return true;
      for (let i = 0; i < matchers.length; i++) if (matchers[i](origin)) return true;
      return false;
    },
    addTraceparent: traceparent,
  };
}

export function mergeBaggage(existing, sessionId) {
  const entry = SESSION_ID_ATTRIBUTE + '=' + encodeURIComponent(sessionId);
  if (!existing) return entry;
  const members = existing
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m && m.split('=')[0].trim() !== SESSION_ID_ATTRIBUTE);
  members.push(entry);
  return members.join(',');
}

export function newTraceparent() {
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  return { header: `00-${traceId}-${spanId}-01`, traceId, spanId };
}

export function parseTraceparent(value) {
  const m = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}/i.exec((value || '').trim());
  return m ? { traceId: m[1].toLowerCase(), spanId: m[2].toLowerCase() } : null;
}
