// Builds the browser bundles with esbuild: `node static/build.mjs` (or `npm run build`).
// Add a bundle by appending to ENTRIES. Built files go to static/dist/ and are never committed.
// `node static/build.mjs --npm` builds the npm package @qorrelate/browser instead (its prepack):
// the same recorder source and rrweb cuts as replay.js, as an ES module in sdks/browser/dist/.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// budgetGzip: the build fails when the minified bundle is larger than this, gzip-compressed.
// optional: skipped when the entry file does not exist (yet). rrweb: bundles @rrweb/record (cut).
// npm: built by --npm only. splitting: dynamic import()s become chunks beside the entry (ESM only;
// the package's optional parts, which a customer's bundler splits off in turn).
const ENTRIES = [
  { in: 'static/src/recorder/tag.js', out: 'static/dist/replay.js', budgetGzip: 30 * 1024, rrweb: true },
  // Loaded by replay.js from beside it when the tag has data-network-details (chunks.js).
  { in: 'static/src/recorder/details-chunk.js', out: 'static/dist/replay-network.js', budgetGzip: 8 * 1024 },
  // Loaded by replay.js from beside it when the tag has data-record-canvas (chunks.js).
  { in: 'static/src/recorder/canvas-chunk.js', out: 'static/dist/replay-canvas.js', budgetGzip: 4 * 1024 },
  {
    in: 'static/src/recorder/esm.js',
    out: 'sdks/browser/dist/index.js',
    format: 'esm',
    budgetGzip: 30 * 1024,
    rrweb: true,
    npm: true,
    splitting: true,
  },
  // replay.js's compression worker, fetched from beside replay.js on its first batch.
  { in: 'static/src/recorder/compress-worker.js', out: 'static/dist/replay-worker.js', budgetGzip: 2 * 1024 },
  { in: 'static/src/player/index.js', out: 'static/dist/player.js', optional: true },
  { in: 'static/src/pages/index.js', out: 'static/dist/pages.js' },
];

// rrweb code replay.js never runs, cut from @rrweb/record's source so no tree-shaking is needed:
// its canvas recording (replay.js records canvas itself, in the optional canvas chunk
// replay-canvas.js, at a low frame rate: static/src/recorder/canvas.js), whose worker source is
// an inline string, the snapshot's canvas pixels and inlined images (recordCanvas and
// inlineImages are always off), the hooks option (never given) and its font collection (off). Each cut must match exactly once,
// so an rrweb upgrade that moves the code fails the build loudly.
const RRWEB_CUTS = [
  {
    what: 'canvas manager',
    from: /class CanvasManager \{[\s\S]*?\n\}\n(?=class StylesheetManager \{)/g,
    to: 'class CanvasManager{reset(){}freeze(){}unfreeze(){}lock(){}unlock(){}}\n',
  },
  { what: 'canvas worker source', from: /const jsContent = '(?:[^'\\]|\\.)*';/g, to: "const jsContent = '';" },
  {
    what: 'snapshot canvas pixels and inlined images',
    from: /\n {2}if \(tagName === "canvas" && recordCanvas\) \{[\s\S]*?\n {2}\}\n {2}if \(tagName === "img" && inlineImages\) \{[\s\S]*?\n {2}\}\n(?= {2}if \(\["audio", "video"\]\.includes\(tagName\)\))/g,
    to: '\n',
  },
  // record()'s `hooks` option (replay.js passes none): each callback stays rrweb's own.
  { what: 'hooks', from: /\nfunction mergeHooks\(o, hooks\) \{[\s\S]*?\n\}\n(?=function initObservers)/g, to: '\nfunction mergeHooks(){}\n' },
  { what: 'blank canvas check', from: /\nfunction is2DCanvasBlank\(canvas\) \{[\s\S]*?\n\}\n/g, to: '\n' },
  {
    what: 'font observer',
    from: /function initFontObserver\(\{ fontCb, doc \}\) \{[\s\S]*?\n\}\n(?=function initSelectionObserver)/g,
    to: 'function initFontObserver(){return()=>{}}\n',
  },
];

const cutUnusedRrweb = {
  name: 'cut-unused-rrweb',
  setup(build) {
    build.onLoad({ filter: /@rrweb[\\/]record[\\/]dist[\\/]record\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      const errors = [];
      for (const cut of RRWEB_CUTS) {
        const found = source.match(cut.from) || [];
        if (found.length !== 1) {
          errors.push({ text: `expected one ${cut.what} in ${args.path}, found ${found.length}; update RRWEB_CUTS for this rrweb version` });
        }
        source = source.replace(cut.from, cut.to);
      }
      return errors.length ? { errors } : { contents: source, loader: 'js' };
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

const NPM = process.argv.includes('--npm');
// --unminified: readable function names for CPU profiles (benchmarks/recorder_profile.py); no budget.
const UNMINIFIED = process.argv.includes('--unminified');
if (UNMINIFIED) COMMON.minify = false;
if (NPM) {
  // The package's version is the one the recorder reports (meta.sdk): one number for both.
  const { version } = JSON.parse(readFileSync(join(ROOT, 'sdks/browser/package.json'), 'utf8'));
  const sdk = readFileSync(join(ROOT, 'static/src/recorder/config.js'), 'utf8').match(/SDK = 'qorrelate-js\/([^']+)'/);
  if (!sdk || sdk[1] !== version) {
    console.error(`sdks/browser/package.json is ${version}; static/src/recorder/config.js says SDK ${sdk && sdk[1]}: make them one`);
    process.exit(1);
  }
}

let failed = false;
for (const entry of ENTRIES.filter((e) => !!e.npm === NPM)) {
  if (!existsSync(join(ROOT, entry.in))) {
    if (entry.optional) continue;
    throw new Error(`missing entry ${entry.in}`);
  }
  const outDir = join(ROOT, dirname(entry.out));
  if (entry.splitting && existsSync(outDir)) {
    // Chunks are named by content hash: the previous build's must not linger in the package.
    for (const name of readdirSync(outDir)) if (/-[A-Z0-9]{8}\.js$/.test(name)) rmSync(join(outDir, name));
  }
  const result = await esbuild.build({
    ...COMMON,
    ...(entry.splitting
      ? { entryPoints: { [basename(entry.out, '.js')]: entry.in }, outdir: dirname(entry.out), splitting: true, metafile: true }
      : { entryPoints: [entry.in], outfile: entry.out }),
    format: entry.format || COMMON.format,
    banner: entry.rrweb
      ? { js: '/*! Qorrelate recorder — includes rrweb (MIT, github.com/rrweb-io/rrweb) */' }
      : undefined,
    plugins: entry.rrweb ? [cutUnusedRrweb] : [],
  });
  const outPath = join(ROOT, entry.out);
  const raw = readFileSync(outPath);
  // The budget counts the chunks the entry imports statically (code shared with a lazy chunk).
  const eager = result.metafile ? result.metafile.outputs[entry.out].imports.filter((i) => i.kind === 'import-statement') : [];
  const gz = [raw, ...eager.map((i) => readFileSync(join(ROOT, i.path)))].reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  const br = brotliCompressSync(raw).length;
  const over = !UNMINIFIED && entry.budgetGzip && gz > entry.budgetGzip;
  console.log(
    `${relative(ROOT, outPath).padEnd(28)} ${kb(statSync(outPath).size).padStart(9)} raw  ` +
      `${kb(gz).padStart(8)} gzip  ${kb(br).padStart(8)} brotli` +
      (entry.budgetGzip ? `  (budget ${kb(entry.budgetGzip)} gzip${eager.length ? ' with its shared chunk' : ''}${over ? ': OVER' : ''})` : ''),
  );
  if (over) failed = true;
  for (const chunk of Object.keys(result.metafile ? result.metafile.outputs : {})) {
    if (chunk === entry.out) continue;
    const bytes = readFileSync(join(ROOT, chunk));
    console.log(
      `${chunk.padEnd(28)} ${kb(bytes.length).padStart(9)} raw  ` +
        `${kb(gzipSync(bytes, { level: 9 }).length).padStart(8)} gzip  ${kb(brotliCompressSync(bytes).length).padStart(8)} brotli  (${eager.some((i) => i.path === chunk) ? 'shared, loaded with' : 'lazy chunk of'} ${entry.out})`,
    );
  }
}
if (failed) {
  console.error('a bundle is over its size budget');
  process.exit(1);
}
