// Typing inside a shadow root. The recorder has rrweb record a field's value on `change` only
// (sampling.input 'last'), and rrweb listens for it on the document, which a `change` inside a
// shadow root never reaches: the event is not composed. `input` is: on the first one from a
// shadow root, that root gets its own `change` listener, which hands the field to rrweb through
// the value setter rrweb patches (the same path as a script setting the value), so the value is
// recorded, and masked, as any other field's.
import { guard } from './util.js';

const watched = new WeakSet();

const rerecord = guard((event) => {
  const field = event.target;
  field.value = field.value; // eslint-disable-line no-self-assign
});

export function watchShadowInputs() {
  addEventListener('input', guard((event) => {
    const root = event.composedPath()[0].getRootNode();
    if (root.host && !watched.has(root)) {
      watched.add(root);
      root.addEventListener('change', rerecord, true);
    }
  }), true);
}
