import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pictureOf } from '../../src/player/canvas.js';

const picture = (src) => ({
  source: 9,
  id: 3,
  type: 0,
  commands: [
    { property: 'clearRect', args: [0, 0, 4, 2] },
    { property: 'drawImage', args: [{ rr_type: 'HTMLImageElement', src }, 0, 0, 4, 2] },
  ],
});

test("a canvas event's picture is its inline base64 image", () => {
  assert.equal(pictureOf(picture('data:image/webp;base64,UklGRg==')), 'data:image/webp;base64,UklGRg==');
});

test('a picture that could load anything or break out of CSS url("…") is not shown', () => {
  for (const src of [
    'https://outside.example/x.png',
    'data:image/svg+xml,<svg/>',
    'data:image/png;base64,AA") , url("https://outside.example/x',
    'data:text/html;base64,AA',
  ]) {
    assert.equal(pictureOf(picture(src)), null, src);
  }
  assert.equal(pictureOf({ source: 9, id: 3, type: 1, commands: [{ property: 'drawArrays', args: [4, 0, 3] }] }), null);
  assert.equal(pictureOf(null), null);
});

test('a picture that arrives before its canvas is shown once a later change adds the canvas', async () => {
  const { canvasPictures } = await import('../../src/player/canvas.js');
  const nodes = new Map();
  const pictures = canvasPictures();
  pictures.getMirror({ nodeMirror: { getNode: (id) => nodes.get(id) || null } });
  const view = { getComputedStyle: () => ({ display: 'inline-block' }) };
  const canvas = {
    nodeName: 'CANVAS',
    width: 4,
    height: 2,
    style: {},
    ownerDocument: { defaultView: view },
    getBoundingClientRect: () => ({ width: 4 }),
  };
  const src = 'data:image/webp;base64,UklGRg==';
  pictures.handler({ type: 3, data: picture(src) }, false); // no canvas 3 in the replay yet
  assert.equal(canvas.style.backgroundImage, undefined);
  nodes.set(3, canvas); // the frame's document, with the canvas, is added…
  pictures.handler({ type: 3, data: { source: 0, adds: [], removes: [], texts: [], attributes: [] } }, false);
  await new Promise((resolve) => setTimeout(resolve, 0)); // …and shown once rrweb applied it
  assert.equal(canvas.style.backgroundImage, `url("${src}")`);
});
