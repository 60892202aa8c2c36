// Copy buttons: `data-copy="text"` copies the text itself, `data-copy-from="#id"` the value or
// text of that element. The label says "Copied" for a moment.
export function bindCopyButtons(root) {
  root.addEventListener('click', (event) => {
    const button = event.target.closest('[data-copy], [data-copy-from]');
    if (!button || !navigator.clipboard) return;
    let text = button.dataset.copy;
    if (button.dataset.copyFrom) {
      const source = root.querySelector(button.dataset.copyFrom);
      if (!source) return;
      text = 'value' in source ? source.value : source.textContent;
    }
    navigator.clipboard.writeText(text).then(() => {
      const label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = label), 1400);
    });
  });
}
