// The session page's controls around the player: play/pause, speed, skipping idle time, the
// keyboard, "play from here" links, the long-task badge and the share link.
import { clock, duration } from './format.js';

export function bindControls(doc, playback) {
  const { player } = playback;
  const { root, playButton } = playback.view;
  playButton.addEventListener('click', () => player.toggle());
  doc.getElementById('ctl-speed').addEventListener('change', (e) => player.setSpeed(parseFloat(e.target.value)));
  doc.getElementById('ctl-skip').addEventListener('change', (e) => player.setSkip(e.target.checked));
  doc.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea, button, [contenteditable]')) return;
    if (e.key === ' ') {
      e.preventDefault();
      player.toggle();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      playback.seekTo(player.current + (e.key === 'ArrowRight' ? 5000 : -5000));
    }
  });
  for (const link of doc.querySelectorAll('[data-seek]')) {
    link.addEventListener('click', (e) => {
      e.preventDefault();
      playback.seekTo(parseFloat(link.dataset.seek));
      root.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  }
  bindShare(doc.getElementById('copy-link'), playback.config.shareUrl, () => player.current);
}

export function showLongTasks(badge, entries) {
  if (!badge || !entries.longTasks) return;
  const plural = entries.longTasks === 1 ? '' : 's';
  badge.textContent = `${entries.longTasks} long task${plural} · main thread blocked ${duration(entries.longTaskMs)}`;
  badge.hidden = false;
}

function bindShare(button, shareUrl, now) {
  if (!button) return;
  const label = button.querySelector('span');
  const original = label.textContent;
  button.addEventListener('click', async () => {
    const url = `${shareUrl}?t=${Math.round(now())}`;
    button.dataset.link = url;
    try {
      await navigator.clipboard.writeText(url);
      label.textContent = `Link to ${clock(now())} copied`;
      button.classList.add('copied');
    } catch (e) {
      window.prompt('Copy this link:', url);
    }
    setTimeout(() => {
      label.textContent = original;
      button.classList.remove('copied');
    }, 2500);
  });
}
