// Small stroke icons for timeline entries (no emoji: they depend on the viewer's fonts).
const PATHS = {
  click: 'M9 9l10.5 4.2-4.4 1.7-1.7 4.4z M4.5 4.5l2 2 M9 3v2.5 M3 9h2.5',
  input: 'M3 7h18v10H3z M7 11h.01 M11 11h.01 M15 11h.01 M7 14h10',
  nav: 'M4 12h14 M13 7l5 5-5 5',
  error: 'M12 3l9.5 17h-19z M12 10v4 M12 17h.01',
  warn: 'M12 3l9.5 17h-19z M12 10v4 M12 17h.01',
  exception: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z M15 9l-6 6 M9 9l6 6',
  clock: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z M12 7v5l3 2',
  vital: 'M3 17l5-6 4 3 6-8 3 2',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21c1-4 4-6 8-6s7 2 8 6',
  star: 'M12 3l2.7 5.6 6.1.8-4.5 4.2 1.1 6.1L12 16.8l-5.4 2.9 1.1-6.1-4.5-4.2 6.1-.8z',
  trace: 'M4 6h10 M8 12h12 M6 18h8',
  log: 'M5 5h14 M5 10h14 M5 15h9 M5 20h6',
  rage: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z M8 15c1.2-1.3 2.5-2 4-2s2.8.7 4 2 M8 9l2 1 M16 9l-2 1',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
};

export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `ic ic-${name}`);
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', PATHS[name] || PATHS.star);
  svg.appendChild(path);
  return svg;
}
