// Form submits and the browser's own validation refusals, as timeline entries the server's
// detectors read (an Enter that submits a form is an activation; an `invalid` event is a form
// the browser refused). Only rrweb's node id is sent: never a value or a field's content.
import { guard } from './util.js';

export function installForms({ record, nodeId }) {
  const note = (type) => guard((event) => {
    const id = nodeId(event.target);
    if (id > 0) record('qorrelate.form', { type, id });
  });
  // Capture: `invalid` does not bubble, and the page may stop a submit's propagation.
  document.addEventListener('submit', note('submit'), true);
  document.addEventListener('invalid', note('invalid'), true);
}
