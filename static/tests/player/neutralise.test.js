import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Neutraliser, PLACEHOLDER_IMAGE, isInert, neutraliseCss } from '../../src/player/neutralise.js';

const OUT = 'https://outside.example/x';

test('only empty values, #fragments and data: URLs are inert', () => {
  for (const url of ['', '#grad', ' data:image/png;base64,AA', 'DATA:font/woff2;base64,AA']) assert.ok(isInert(url), url);
  for (const url of [OUT, '//outside.example/x', '/o/acme/settings/', 'x.png', 'blob:https://a/1', 'javascript:alert(1)']) {
    assert.ok(!isInert(url), url);
  }
});

test('CSS keeps inlined data and fragments and loses every other URL and @import', () => {
  const css = [
    `@import url("${OUT}/a.css");`,
    `@import '${OUT}/b.css' screen;`,
    `.a { background: url(${OUT}/bg.png) no-repeat; }`,
    `.b { background: url('data:image/png;base64,AA'); }`,
    `.c { fill: url(#paint); }`,
    `.d { background-image: image-set("${OUT}/1x.png" 1x); }`,
    `@font-face { font-family: F; src: url("/o/acme/font") format("woff2"); }`,
  ].join('\n');
  const out = neutraliseCss(css);
  assert.ok(!out.includes('outside.example') && !out.includes('/o/acme'), out);
  assert.ok(!out.includes('@import'));
  assert.ok(out.includes("url('data:image/png;base64,AA')") && out.includes('url(#paint)'));
  assert.ok(out.includes('.a { background: none no-repeat; }'));
  assert.equal(neutraliseCss('.plain { color: red }'), '.plain { color: red }');
});

test('a full snapshot loses loading attributes, handlers, frame sources and meta refresh', () => {
  const el = (id, tagName, attributes = {}, childNodes = []) => ({ type: 2, id, tagName, attributes, childNodes });
  const snapshot = {
    type: 2,
    timestamp: 1,
    data: {
      node: {
        type: 0,
        id: 1,
        childNodes: [
          el(2, 'html', {}, [
            el(3, 'head', {}, [
              el(4, 'meta', { 'http-equiv': 'refresh', content: `0;url=${OUT}` }),
              el(5, 'link', { rel: 'stylesheet', href: `${OUT}/s.css` }),
              el(6, 'style', {}, [{ type: 3, id: 7, textContent: `.x{background:url(${OUT})}`, isStyle: true }]),
            ]),
            el(8, 'body', { background: OUT, onload: 'x()' }, [
              el(9, 'img', { src: OUT, srcset: `${OUT} 2x`, onerror: 'x()' }),
              el(10, 'img', { src: 'data:image/png;base64,AA' }),
              el(11, 'iframe', { src: '/o/acme/', srcdoc: '<b>', rr_src: OUT }),
              el(12, 'a', { href: OUT, ping: OUT }),
              el(13, 'div', { style: `background:url(${OUT})` }),
              el(14, 'script', { src: OUT }),
            ]),
          ]),
        ],
      },
    },
  };
  const [event] = new Neutraliser().events([snapshot]);
  const json = JSON.stringify(event);
  const body = event.data.node.childNodes[0].childNodes[1];
  const [img, inline, frame, link, div, script] = body.childNodes;
  assert.equal(img.attributes.src, PLACEHOLDER_IMAGE);
  assert.equal(img.attributes.srcset, undefined);
  assert.equal(img.attributes.onerror, undefined);
  assert.equal(inline.attributes.src, 'data:image/png;base64,AA');
  assert.deepEqual(frame.attributes, {});
  assert.deepEqual(link.attributes, { href: OUT }); // a link loads nothing unless clicked
  assert.equal(div.attributes.style, 'background:none');
  assert.equal(script.attributes.type, 'text/x-qorrelate-inert');
  assert.deepEqual(body.attributes, {});
  assert.deepEqual(event.data.node.childNodes[0].childNodes[0].childNodes[0].attributes, {});
  assert.equal(json.split(OUT).length - 1, 1, json); // only the link's href is left
});

test('later mutations, style rules, declarations and fonts are neutralised too', () => {
  const n = new Neutraliser();
  n.events([{ type: 2, timestamp: 1, data: { node: { type: 0, id: 1, childNodes: [
    { type: 2, id: 2, tagName: 'style', attributes: {}, childNodes: [{ type: 3, id: 3, textContent: '', isStyle: true }] },
    { type: 2, id: 4, tagName: 'iframe', attributes: {}, childNodes: [] },
    { type: 2, id: 5, tagName: 'img', attributes: {}, childNodes: [] },
  ] } } }]);
  const events = n.events([
    { type: 3, timestamp: 2, data: { source: 0, adds: [{ parentId: 1, node: { type: 2, id: 6, tagName: 'img', attributes: { src: OUT }, childNodes: [] } }], removes: [], texts: [{ id: 3, value: `.y{background:url(${OUT})}` }], attributes: [{ id: 4, attributes: { src: 'data:text/html,<b>' } }, { id: 5, attributes: { src: OUT, style: { background: `url(${OUT})` } } }] } },
    { type: 3, timestamp: 3, data: { source: 8, id: 2, adds: [{ rule: `@import url(${OUT});`, index: 0 }] } },
    { type: 3, timestamp: 4, data: { source: 13, id: 2, index: [0], set: { property: 'background', value: `url(${OUT})` } } },
    { type: 3, timestamp: 5, data: { source: 10, family: 'F', fontSource: `url(${OUT})`, buffer: false, descriptors: {} } },
    { type: 3, timestamp: 6, data: { source: 10, family: 'G', fontSource: '[1,2]', buffer: true, descriptors: {} } },
  ]);
  assert.equal(events.length, 4, 'the font by URL is left out, the inlined one stays');
  assert.ok(!JSON.stringify(events).includes(OUT), JSON.stringify(events));
});
