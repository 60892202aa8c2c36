// Form and navigation helpers:
//   <select data-autosubmit>          submits its form on change
//   <select data-navigate>            goes to the chosen option's value
//   <form data-confirm="Question?">   asks before submitting
//   <button data-print>               prints the page
//   <input data-select-on-click>      selects its text when clicked
//   <button data-reveal="#id">        shows (or hides again) #id and focuses its first text field
//   <tr data-href="…">                the whole row is a link (links and buttons in it keep theirs)
export function bindForms(root) {
  root.addEventListener('change', (event) => {
    const select = event.target;
    if (select.matches('[data-autosubmit]') && select.form) select.form.submit();
    else if (select.matches('[data-navigate]') && select.value) window.location = select.value;
  });
  root.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  root.addEventListener('click', (event) => {
    const target = event.target;
    if (target.closest('[data-print]')) {
      window.print();
      return;
    }
    if (target.matches('[data-select-on-click]')) {
      target.select();
      return;
    }
    const reveal = target.closest('[data-reveal]');
    if (reveal) {
      const box = root.querySelector(reveal.dataset.reveal);
      if (!box) return;
      box.hidden = reveal.hasAttribute('data-reveal-once') ? false : !box.hidden;
      const field = !box.hidden && box.querySelector('input[type=text], input:not([type]), textarea');
      if (field) field.focus();
      return;
    }
    const row = target.closest('tr[data-href]');
    if (row && !target.closest('a, button, input, select, label')) window.location = row.dataset.href;
  });
}
