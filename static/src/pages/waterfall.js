// The trace page's waterfall: a span row opens its attributes (click, Enter or Space).
export function bindWaterfall(root) {
  if (!root) return;
  for (const row of root.querySelectorAll('.wf-row')) {
    const toggle = () => {
      const detail = root.querySelector(`[data-detail-for="${row.dataset.spanId}"]`);
      if (!detail) return;
      detail.hidden = !detail.hidden;
      row.setAttribute('aria-expanded', String(!detail.hidden));
      row.classList.toggle('open', !detail.hidden);
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle();
      }
    });
  }
}
