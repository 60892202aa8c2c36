// What a replay may load: nothing from the network. A recording is whatever a browser (or anyone
// who knows the public org id) sent to the intake, so every URL in it is the recording's, not
// ours: rebuilt as is, it would make the viewer's browser fetch other sites and dashboard pages
// (with the viewer's cookies). Before rrweb rebuilds an event, every URL that would load
// something is removed here; what rrweb inlined at recording time (stylesheets as text, images
// and fonts as data: URLs) stays and still renders. `#fragment` references (SVG gradients,
// in-page links) stay too.
//
// This is the first of two layers. The session page's Content-Security-Policy, which the replay
// frame inherits, is the second: it refuses anything missed here (escaped CSS, a new rrweb
// feature) except Qorrelate's own /static/ files. docs/privacy.md, "What a replay can load".

// Attributes whose value is a URL the browser fetches (or navigates to, for frames).
const URL_ATTRIBUTES = new Set([
  'src', 'href', 'xlink:href', 'srcset', 'imagesrcset', 'poster', 'background', 'data', 'action',
  'formaction', 'codebase', 'classid', 'archive', 'longdesc', 'lowsrc', 'dynsrc', 'ping',
  'manifest', 'icon', 'profile', 'cite', 'srcdoc', 'rr_src', 'attributionsrc',
]);
// Elements that would load a whole document: never given any source.
const FRAME_TAGS = new Set(['iframe', 'frame', 'object', 'embed', 'portal', 'fencedframe', 'applet']);
// Links (not loads): kept so the replayed page reads the same; clicks never reach the frame.
const LINK_TAGS = new Set(['a', 'area']);
const INERT_SCRIPT_TYPE = 'text/x-qorrelate-inert';

// A neutral grey box in place of an image that was not inlined (it keeps the image's CSS size).
export const PLACEHOLDER_IMAGE =
  'data:image/svg+xml,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#e8eaf0"/></svg>');
const TRANSPARENT_PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

// Loads nothing: empty, an in-document #fragment, or inline data.
export function isInert(url) {
  const value = String(url).trim();
  return value === '' || value.startsWith('#') || /^data:/i.test(value);
}

const CSS_URL = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)\s]*))\s*\)/gi;
const CSS_IMPORT = /@import\b(?:[^;"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*;?/gi;
const CSS_IMAGE_SET = /(?:-webkit-)?image-set\((?:[^()]|\([^()]*\))*\)/gi;
const CSS_STRING = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;

// CSS with every loading URL taken out: `url(...)` becomes `none` (the declaration then loads
// nothing, or is dropped as invalid), `@import` rules go, an `image-set()` of URLs becomes
// `none`. Inlined data: URLs and #fragments stay.
export function neutraliseCss(css) {
  if (typeof css !== 'string' || !/url\(|@import|image-set/i.test(css)) return css;
  return css
    .replace(CSS_IMPORT, '')
    .replace(CSS_URL, (match, dq, sq, bare) => (isInert(dq ?? sq ?? bare ?? '') ? match : 'none'))
    .replace(CSS_IMAGE_SET, (match) => {
      for (const [, dq, sq] of match.matchAll(CSS_STRING)) if (!isInert(dq ?? sq)) return 'none';
      return match;
    });
}

// One serialized element's attributes (a full snapshot's node or an added node), in place.
function neutraliseAttributes(tagName, attributes) {
  const tag = String(tagName || '').toLowerCase();
  for (const name of Object.keys(attributes)) {
    const key = name.toLowerCase();
    const value = attributes[name];
    if (key.startsWith('on')) {
      delete attributes[name]; // event handlers: nothing may run in a replay
    } else if (URL_ATTRIBUTES.has(key)) {
      if (typeof value !== 'string') continue;
      if (FRAME_TAGS.has(tag)) delete attributes[name];
      else if (LINK_TAGS.has(tag) && key === 'href') {
        if (/^\s*javascript:/i.test(value)) delete attributes[name];
      } else if (key === 'srcset' || key === 'imagesrcset') {
        if (!value.split(/,\s+/).every((candidate) => isInert(candidate))) delete attributes[name];
      } else if (!isInert(value)) {
        if (tag === 'img' && key === 'src') attributes[name] = PLACEHOLDER_IMAGE;
        else if (tag === 'input' && key === 'src') attributes[name] = PLACEHOLDER_IMAGE;
        else delete attributes[name];
      }
    } else if (key === 'rr_dataurl') {
      if (typeof value === 'string' && !/^\s*data:image\//i.test(value)) delete attributes[name];
    } else if (key === '_csstext' || key === 'style') {
      attributes[name] = neutraliseCssValue(value);
    } else if (key === 'http-equiv') {
      delete attributes[name]; // refresh (a navigation), set-cookie, …: none of them in a replay
      delete attributes.content;
    } else if (typeof value === 'string' && /url\(/i.test(value)) {
      attributes[name] = neutraliseCss(value); // SVG fill/filter/mask/clip-path/marker/cursor
    }
  }
  if (tag === 'script') attributes.type = INERT_SCRIPT_TYPE;
}

// A style attribute is a string in snapshots and an object {property: value | [value,
// priority] | false} in attribute mutations.
function neutraliseCssValue(value) {
  if (typeof value === 'string') return neutraliseCss(value);
  if (value && typeof value === 'object') {
    for (const property of Object.keys(value)) {
      const v = value[property];
      if (typeof v === 'string') value[property] = neutraliseCss(v);
      else if (Array.isArray(v) && typeof v[0] === 'string') v[0] = neutraliseCss(v[0]);
    }
  }
  return value;
}

const ELEMENT = 2;
const TEXT = 3;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const CANVAS_MUTATION = 9;
const FONT = 10;
const STYLE_SHEET_RULE = 8;
const STYLE_DECLARATION = 13;
const ADOPTED_STYLE_SHEET = 15;

// Neutralises a replay's events before rrweb sees them. One per replayer: it remembers which
// text nodes are the text of <style> elements, so later text mutations of them are CSS too.
export class Neutraliser {
  constructor() {
    this.styleTexts = new Set();
    this.tags = new Map(); // element id → tag name, for attribute mutations
  }

  // Returns the event to replay (changed in place), or null for one to leave out.
  event(event) {
    if (!event || typeof event !== 'object') return event;
    const data = event.data;
    if (event.type === FULL_SNAPSHOT && data && data.node) this.node(data.node, '');
    else if (event.type === INCREMENTAL && data) return this.incremental(event, data);
    return event;
  }

  events(events) {
    const kept = [];
    for (const event of events) {
      const safe = this.event(event);
      if (safe) kept.push(safe);
    }
    return kept;
  }

  node(node, parentTag) {
    if (!node || typeof node !== 'object') return;
    if (node.type === ELEMENT) {
      const tag = String(node.tagName || '').toLowerCase();
      if (node.id != null) this.tags.set(node.id, tag);
      if (node.attributes && typeof node.attributes === 'object') neutraliseAttributes(tag, node.attributes);
    } else if (node.type === TEXT && (node.isStyle || parentTag === 'style')) {
      node.textContent = neutraliseCss(node.textContent);
      if (node.id != null) this.styleTexts.add(node.id);
    }
    if (Array.isArray(node.childNodes)) {
      const tag = node.type === ELEMENT ? String(node.tagName || '').toLowerCase() : '';
      for (const child of node.childNodes) this.node(child, tag);
    }
  }

  incremental(event, data) {
    switch (data.source) {
      case MUTATION:
        for (const add of data.adds || []) if (add) this.node(add.node, this.tags.get(add.parentId) || '');
        for (const change of data.attributes || []) {
          if (change && change.attributes && typeof change.attributes === 'object') {
            // An element never seen (no snapshot before it) is treated as a frame: no source.
            neutraliseAttributes(this.tags.get(change.id) || 'iframe', change.attributes);
          }
        }
        for (const text of data.texts || []) {
          if (text && this.styleTexts.has(text.id)) text.value = neutraliseCss(text.value);
        }
        return event;
      case STYLE_SHEET_RULE:
        for (const add of data.adds || []) if (add) add.rule = neutraliseCss(add.rule);
        if (typeof data.replace === 'string') data.replace = neutraliseCss(data.replace);
        if (typeof data.replaceSync === 'string') data.replaceSync = neutraliseCss(data.replaceSync);
        return event;
      case STYLE_DECLARATION:
        if (data.set && typeof data.set.value === 'string') data.set.value = neutraliseCss(data.set.value);
        return event;
      case ADOPTED_STYLE_SHEET:
        for (const sheet of data.styles || []) {
          for (const rule of (sheet && sheet.rules) || []) if (rule) rule.rule = neutraliseCss(rule.rule);
        }
        return event;
      case FONT:
        // A font given by URL (not inlined as a buffer) is not replayed.
        return data.buffer || isInert(String(data.fontSource || '').replace(/^\s*url\(\s*["']?|["']?\s*\)\s*$/g, '')) ? event : null;
      case CANVAS_MUTATION:
        neutraliseCanvasArgs(data);
        return event;
      default:
        return event;
    }
  }
}

// Canvas commands carry images as {rr_type: 'HTMLImageElement', src}: only inline ones draw.
function neutraliseCanvasArgs(value, depth = 0) {
  if (!value || typeof value !== 'object' || depth > 8) return;
  if (Array.isArray(value)) {
    for (const item of value) neutraliseCanvasArgs(item, depth + 1);
    return;
  }
  if (value.rr_type === 'HTMLImageElement' && typeof value.src === 'string' && !/^\s*data:image\//i.test(value.src)) {
    value.src = TRANSPARENT_PIXEL;
  }
  for (const key of Object.keys(value)) neutraliseCanvasArgs(value[key], depth + 1);
}
