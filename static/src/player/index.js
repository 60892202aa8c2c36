// The session page's player: loads the recording window by window, replays it with rrweb,
// and keeps the seek bar, the timeline panel and the `?t=` link on one clock.
import 'rrweb/dist/style.css';
import './player.css';
import { bindControls, showLongTasks } from './controls.js';
import { Overlay } from './overlay.js';
import { SessionPlayback } from './playback.js';

function start() {
  const config = JSON.parse(document.getElementById('player-config').textContent);
  const byId = (id) => document.getElementById(id);
  const view = {
    root: byId('replay'),
    stage: byId('player-stage'),
    overlay: new Overlay(byId('player-overlay'), byId('player-overlay-text')),
    playButton: byId('ctl-play'),
    currentLabel: byId('ctl-current'),
    loadState: byId('load-state'),
    timeline: document.querySelector('.timeline'),
    seek: byId('seek'),
  };
  const playback = new SessionPlayback({
    config,
    view,
    onLoaded: (entries) => showLongTasks(byId('longtask-badge'), entries),
  });
  bindControls(document, playback);
  playback.start();
  window.qorrelatePlayer = { player: playback.player, seek: (t) => playback.seekTo(t), timeline: playback.timeline, config };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
