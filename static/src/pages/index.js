// The dashboard's small page behaviours, on every page (templates carry no inline scripts or
// event handlers: the Content-Security-Policy forbids them). Each reads data-* attributes.
import { bindCopyButtons } from './copy.js';
import { bindForms } from './forms.js';
import { bindShowIf } from './show_if.js';
import { bindTestEvent } from './test_event.js';
import { bindWaterfall } from './waterfall.js';

function start() {
  bindCopyButtons(document);
  bindForms(document);
  bindShowIf(document);
  bindWaterfall(document.querySelector('[data-waterfall-page]'));
  bindTestEvent(document.getElementById('test-event'));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
