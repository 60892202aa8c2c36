// One session per origin, shared by its tabs: the session lives in localStorage, so a second tab
// joins it; each tab is a window of it, with its own id and batch sequence in sessionStorage (a
// reload continues the tab's window; the server keeps one batch per (session, window, seq)).
// After a period without user activity in any tab, or past the maximum session length, the next
// activity starts a new session that remembers the previous id (OpenTelemetry's session
// conventions: session.id, session.previous_id).
import { now, uuid } from './util.js';

const KEY = 'qorrelate.session';
const WINDOW_KEY = 'qorrelate.window';
const SAVE_EVERY_MS = 1000;

// The origin's (KEY) or the tab's storage; reading either may throw (sandboxed frames).
const area = (key) => (key === KEY ? localStorage : sessionStorage);

function load(key) {
  try {
    return JSON.parse(area(key).getItem(key));
  } catch (e) {
    return null;
  }
}

function store(key, value) {
  try {
    area(key).setItem(key, JSON.stringify(value));
  } catch (e) {
    /* storage full or disabled: keep the in-memory state */
  }
}

// The origin's session, as the tabs last wrote it; null without one (or without localStorage:
// then each tab is a session of its own, as long as the page lives).
function shared() {
  const s = load(KEY);
  return s && typeof s.id === 'string' ? s : null;
}

export function createSession({ timeoutMs, maxMs, sampleRate }) {
  let lastSaved = 0;
  let state = shared();
  const win = load(WINDOW_KEY) || {};
  // A browser copies sessionStorage into a duplicated tab or a popup while the first tab still
  // runs: a window still marked open is that other tab's, so this tab takes an id of its own
  // (else both would number batches of one window and the server would drop one's as
  // duplicates). A reload or a navigation closes the mark first (pagehide): it keeps its window.
  if (typeof win.id !== 'string' || win.open) {
    win.id = uuid();
    win.session = null;
  }
  const mark = (open) => () => {
    win.open = open;
    store(WINDOW_KEY, win);
  };
  mark(1)();
  addEventListener('pagehide', mark(0));
  addEventListener('pageshow', mark(1));

  // Why a session is over: null while it goes on.
  function endReason(s) {
    if (now() - s.start > maxMs) return 'max_length';
    return now() - s.last > timeoutMs ? 'inactivity' : null;
  }

  function fresh(previous) {
    const t = now();
    return {
      id: uuid(),
      prev: previous ? previous.id : null,
      start: t,
      last: t,
      sampled: Math.random() * 100 < sampleRate,
      user: previous ? previous.user : null,
      created: true, // by this tab (never saved: the other tabs join it)
    };
  }

  function save() {
    lastSaved = now();
    // Another tab may have been active since: its last activity counts for the session too.
    const other = shared();
    if (other && other.id === state.id && other.last > state.last) state.last = other.last;
    // A newer session of another tab is never overwritten: this tab adopts it at its next check.
    if (!other || other.id === state.id || other.start <= state.start) {
      const { created, ...saved } = state;
      store(KEY, saved);
    }
    if (win.session !== state.id) {
      win.session = state.id;
      win.seq = 0; // each window numbers its batches from 0 in each session
    }
    store(WINDOW_KEY, win);
  }

  if (!state || endReason(state)) state = fresh(state);
  save();

  return {
    get: () => state,
    windowId: () => win.id,
    // What ends the current session now, if anything: another tab started a new one (its state
    // is adopted: {adopt}), or this one is over ({reason}).
    check() {
      const other = shared();
      if (other && other.id !== state.id && !endReason(other)) return { adopt: other };
      if (other && other.id === state.id && other.last > state.last) state.last = other.last;
      const reason = endReason(state);
      return reason ? { reason } : null;
    },
    // The next session: the one another tab started, or a new one linked to this one.
    rotate(adopt) {
      state = adopt || fresh(state);
      save();
      return state;
    },
    touch() {
      state.last = now();
      if (state.last - lastSaved > SAVE_EVERY_MS) save();
    },
    nextSeq() {
      if (win.session !== state.id) save();
      const seq = win.seq++;
      store(WINDOW_KEY, win);
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
