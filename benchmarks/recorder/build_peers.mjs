// Bundles each peer SDK entry (peers/*.js) the way a customer's bundler would: minified IIFE.
// Usage: node benchmarks/recorder/build_peers.mjs OUT_DIR
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
for (const file of readdirSync(join(here, 'peers'))) {
  if (!file.endsWith('.js')) continue;
  await esbuild.build({
    entryPoints: [join(here, 'peers', file)],
    outfile: join(out, file),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
}
