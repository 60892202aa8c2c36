// Builds the browser bundles with esbuild: `node static/build.mjs` (or `npm run build`).
// Add a bundle by appending to ENTRIES. Built files go to static/dist/ and are never committed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// budgetGzip: the build fails when the minified bundle is larger than this, gzip-compressed.
// optional: skipped when the entry file does not exist (yet).
const ENTRIES = [
  { in: 'static/src/recorder/index.js', out: 'static/dist/replay.js', budgetGzip: 30 * 1024 },
  { in: 'static/src/player/index.js', out: 'static/dist/player.js', optional: true },
  { in: 'static/src/pages/index.js', out: 'static/dist/pages.js' },
];

// replay.js never records canvas, but @rrweb/record ships the source of its canvas worker inline
// as a string that no tree-shaking can drop. Blank it (about 1 KB gzip of the budget).
const stripRrwebCanvasWorker = {
  name: 'strip-rrweb-canvas-worker',
  setup(build) {
    build.onLoad({ filter: /@rrweb[\\/]record[\\/]dist[\\/]record\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const pattern = /const jsContent = '(?:[^'\\]|\\.)*';/g;
      const found = source.match(pattern) || [];
      if (found.length !== 1) {
        return {
          errors: [{ text: `expected one inline canvas worker in ${args.path}, found ${found.length}; update strip-rrweb-canvas-worker for this rrweb version` }],
        };
      }
      return { contents: source.replace(pattern, "const jsContent = '';"), loader: 'js' };
    });
  },
};

const COMMON = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  absWorkingDir: ROOT,
};

function kb(n) {
  return (n / 1024).toFixed(1) + ' KB';
}

let failed = false;
for (const entry of ENTRIES) {
  if (!existsSync(join(ROOT, entry.in))) {
    if (entry.optional) continue;
    throw new Error(`missing entry ${entry.in}`);
  }
  await esbuild.build({
    ...COMMON,
    entryPoints: [entry.in],
    outfile: entry.out,
    banner: entry.out.endsWith('replay.js')
      ? { js: '/*! Qorrelate replay.js — includes rrweb (MIT, github.com/rrweb-io/rrweb) */' }
      : undefined,
    plugins: entry.out.endsWith('replay.js') ? [stripRrwebCanvasWorker] : [],
  });
  const outPath = join(ROOT, entry.out);
  const raw = readFileSync(outPath);
  const gz = gzipSync(raw, { level: 9 }).length;
  const br = brotliCompressSync(raw).length;
  const over = entry.budgetGzip && gz > entry.budgetGzip;
  console.log(
    `${relative(ROOT, outPath).padEnd(24)} ${kb(statSync(outPath).size).padStart(9)} raw  ` +
      `${kb(gz).padStart(8)} gzip  ${kb(br).padStart(8)} brotli` +
      (entry.budgetGzip ? `  (budget ${kb(entry.budgetGzip)} gzip${over ? ': OVER' : ''})` : ''),
  );
  if (over) failed = true;
}
if (failed) {
  console.error('a bundle is over its size budget');
  process.exit(1);
}
