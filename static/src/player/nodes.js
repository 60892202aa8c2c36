// Human labels for recorded DOM nodes ("button “Place order”"), built from the serialized
// snapshots and mutations as events load, so a click on node 42 can be named even when the
// replay is elsewhere in time.
const ELEMENT = 2;
const TEXT = 3;
const MAX_TEXT = 48;
const FIELDS = ['input', 'textarea', 'select'];

export class NodeLabels {
  constructor() {
    this.nodes = new Map(); // id → {tag, attrs, parent, text}
  }

  addSerialized(node, parentId) {
    if (!node || typeof node !== 'object') return;
    if (node.type === ELEMENT) {
      this.nodes.set(node.id, { tag: String(node.tagName || '').toLowerCase(), attrs: node.attributes || {}, parent: parentId, text: '' });
    } else if (node.type === TEXT && parentId != null) {
      const text = String(node.textContent || '').replace(/\s+/g, ' ').trim();
      // The text names its element and, a little, the two above it (a <span> inside a button).
      let ancestor = this.nodes.get(parentId);
      for (let level = 0; text && ancestor && level < 3; level++) {
        if (ancestor.text.length < MAX_TEXT) ancestor.text = (ancestor.text + ' ' + text).trim();
        ancestor = this.nodes.get(ancestor.parent);
      }
      this.nodes.set(node.id, { tag: '#text', attrs: {}, parent: parentId, text });
    }
    for (const child of node.childNodes || []) this.addSerialized(child, node.type === ELEMENT ? node.id : parentId);
  }

  // rrweb events: full snapshots (type 2) and mutation adds (type 3, source 0).
  ingest(event) {
    if (event.type === 2 && event.data && event.data.node) {
      this.addSerialized(event.data.node, null);
    } else if (event.type === 3 && event.data && event.data.source === 0) {
      // Elements before texts: a text added in the same mutation may come before its parent.
      const adds = event.data.adds || [];
      for (const add of adds) if (add.node && add.node.type !== TEXT) this.addSerialized(add.node, add.parentId);
      for (const add of adds) if (add.node && add.node.type === TEXT) this.addSerialized(add.node, add.parentId);
      for (const change of event.data.texts || []) {
        const text = this.nodes.get(change.id);
        if (text && text.parent != null) {
          const parent = this.nodes.get(text.parent);
          if (parent && change.value) parent.text = String(change.value).replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
        }
      }
    }
  }

  label(id) {
    let node = this.nodes.get(id);
    if (!node) return 'an element';
    if (node.tag === '#text') node = this.nodes.get(node.parent) || node;
    const attrs = node.attrs || {};
    let name = node.tag;
    if (attrs.id) name += '#' + attrs.id;
    else if (attrs.name) name += `[name=${attrs.name}]`;
    else if (attrs.class && typeof attrs.class === 'string') name += '.' + attrs.class.split(/\s+/)[0];
    const text = String(attrs['aria-label'] || (FIELDS.includes(node.tag) ? this.fieldLabel(node) : node.text) || '').trim();
    const shown = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 1) + '…' : text;
    return shown ? `${name} “${shown}”` : name;
  }

  // A form field is named by its <label> (the recorded values and placeholders are not names).
  fieldLabel(node) {
    const parent = this.nodes.get(node.parent);
    return parent && parent.tag === 'label' ? parent.text : '';
  }

  isInput(id) {
    const node = this.nodes.get(id);
    return !!node && FIELDS.includes(node.tag);
  }
}
