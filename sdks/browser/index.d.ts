// Types of @qorrelate/browser (the recorder's source is JavaScript: static/src/recorder/esm.js).

/** How the recorder masks the page (docs/privacy.md). Default: `'mask-inputs'`. */
export type PrivacyMode = 'mask-inputs' | 'mask-all' | 'mask-sensitive';

/**
 * The script tag's `data-*` attributes, in camelCase (`data-privacy-mode` → `privacyMode`):
 * every attribute of docs/recorder.md works here, read by the same code.
 */
export interface InitOptions {
  /** Your organization's public `data-org-id` (its overview page in Qorrelate). */
  orgId: string;
  /** Qorrelate's base URL. Default: this page's origin. */
  endpoint?: string;
  privacyMode?: PrivacyMode;
  /** Other origins (or URL prefixes) of your own APIs that get the session headers. */
  propagateTo?: string | string[];
  /** Percent of sessions recorded whole, 0–100. Default 100, or 0 with `record: 'on-error'`. */
  sampleRate?: number;
  /** `'on-error'`: the other sessions keep the last `bufferWindow` ms in memory and upload
   * nothing until an error, a failed API request or `flush()`. Default `'always'`. */
  record?: 'always' | 'on-error';
  /** Milliseconds kept in memory before a trigger with `record: 'on-error'`. Default 60000. */
  bufferWindow?: number;
  /** URL patterns (`/api/*`, `https://api.example.com/v1/*`) whose requests are recorded with
   * their headers and bodies, redacted. A pattern not ending in `*` or `/` ends at a boundary of
   * the URL (`https://api.example.com` is not `https://api.example.com.evil.net`). Default none. */
  networkDetails?: string | string[];
  /** `'on'`: with `networkDetails`, the messages of WebSockets to allowed URLs too, redacted
   * and capped like bodies. Default off. */
  networkWebsocket?: 'on' | 'off';
  /** More header names whose values network details never record (beside Authorization,
   * Cookie, Set-Cookie, X-API-Key and every secret-looking name). */
  redactHeaders?: string | string[];
  /** Record canvas pixels (2D and WebGL) as pictures, `canvasFps` a second at most; ignored
   * in `mask-all`. Default false. */
  recordCanvas?: boolean;
  /** Canvas pictures per second at most, per canvas (0.2–10). Default 2. */
  canvasFps?: number;
  /** Origins of cross-origin iframes whose own recorder records into this page's session:
   * exact `https://host[:port]` origins (`*` or a URL with a path is ignored). */
  crossOriginIframes?: string | string[];
  /** Inside such an iframe: the origin of the page that embeds it; the frame then sends its
   * events to that parent and uploads nothing itself. An exact origin (`*` is ignored). */
  parentOrigin?: string;
  /** Send a W3C `traceparent` with your API calls. Default true. */
  traceparent?: boolean;
  /** Milliseconds without activity (in any tab of the site) after which the next activity
   * starts a new session. Default 1800000 (30 min). */
  inactivityTimeout?: number;
  /** Milliseconds after which a session ends even while the user is active: the next activity
   * starts a new one linked to it (`session.previous_id`). Default 14400000 (4 h). */
  maxSessionLength?: number;
  /** Milliseconds between uploads (at most 5000). */
  flushInterval?: number;
  /** Milliseconds between full snapshots while the page changes; 0 turns them off. */
  checkoutInterval?: number;
  /** Any other attribute of the script tag, in camelCase. */
  [option: string]: string | number | boolean | string[] | undefined;
}

/** The recorder's handle, the same object as `window.qorrelate`. */
export interface Qorrelate {
  readonly version: string;
  identify(userId: string | number | null, traits?: Record<string, unknown>): void;
  getSessionId(): string | null;
  /** The session's replay in Qorrelate, at this moment. */
  getSessionURL(): string | null;
  /** A custom event on the session's timeline. */
  event(name: string, payload?: unknown): void;
  /** Starts recording again after stop() (a new session, linked to the previous one). */
  start(): boolean;
  stop(): void;
  /** Uploads what is buffered now. */
  flush(): void;
}

/** Starts recording (once: later calls, or a script tag on the same page, return the same
 * handle). Returns null on the server (no `window`) or without an `orgId`. */
export function init(options: InitOptions): Qorrelate | null;
/** The functions below do nothing (and return null or false) before init(). */
export function identify(userId: string | number | null, traits?: Record<string, unknown>): void;
export function getSessionId(): string | null;
export function getSessionURL(): string | null;
export function event(name: string, payload?: unknown): void;
export function flush(): void;
export function start(): boolean;
export function stop(): void;
