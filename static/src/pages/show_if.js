// <input data-show-if="kind=threshold">: the field's paragraph (its <p>, else the element) is shown
// only while the form's control named "kind" (radio buttons or a select) has the value
// "threshold". Without script every field shows; the server validates either way.
export function parseCondition(text) {
  const at = (text || '').indexOf('=');
  if (at < 1) return null;
  return { name: text.slice(0, at), value: text.slice(at + 1) };
}

function apply(form) {
  for (const field of form.querySelectorAll('[data-show-if]')) {
    const condition = parseCondition(field.dataset.showIf);
    if (!condition) continue;
    const control = form.elements.namedItem(condition.name);
    const box = field.closest('p') || field;
    box.hidden = control !== null && control.value !== condition.value;
  }
}

export function bindShowIf(root) {
  for (const form of root.querySelectorAll('form')) {
    if (form.querySelector('[data-show-if]')) apply(form);
  }
  root.addEventListener('change', (event) => {
    const form = event.target.form;
    if (form && form.querySelector('[data-show-if]')) apply(form);
  });
}
