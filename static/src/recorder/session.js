// The session id lives in sessionStorage so it survives reloads and navigations within the tab.
// After a period without user activity the next activity starts a new session that remembers the
// previous id. The batch sequence number is stored with it: a reload continues the same session,
// and the server keeps one batch per (session_id, seq).
import { now, uuid } from './util.js';

const KEY = 'qorrelate.session';
const SAVE_EVERY_MS = 1000;

function read() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY));
    return s && typeof s.id === 'string' ? s : null;
  } catch (e) {
    return null;
  }
}

export function createSession({ timeoutMs, sampleRate }) {
  let lastSaved = 0;
  // Without sessionStorage (sandboxed iframes, privacy modes) the session lives as long as the page.
  let state = read();

  function fresh(previous) {
    const t = now();
    return {
      id: uuid(),
      prev: previous ? previous.id : null,
      start: t,
      last: t,
      seq: 0,
      sampled: Math.random() * 100 < sampleRate,
      user: previous ? previous.user : null,
    };
  }

  function save() {
    lastSaved = now();
    try {
      sessionStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      /* storage full or disabled: keep the in-memory session */
    }
  }

  function expired() {
    return now() - state.last > timeoutMs;
  }

  if (!state || expired()) {
    state = fresh(state);
  }
  save();

  return {
    get: () => state,
    expired,
    rotate() {
      state = fresh(state);
      save();
      return state;
    },
    touch() {
      state.last = now();
      if (state.last - lastSaved > SAVE_EVERY_MS) save();
    },
    nextSeq() {
      const seq = state.seq++;
      save();
      return seq;
    },
    setUser(user) {
      state.user = user;
      save();
    },
    forceSampled() {
      state.sampled = true;
      save();
    },
    save,
  };
}
