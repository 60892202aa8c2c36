// dist/esm/: ES modules + .d.ts from tsc. dist/cjs/: one CommonJS file from the same source
// (esbuild) and the same .d.ts, in a folder marked "type": "commonjs" so TypeScript reads them
// as CommonJS declarations for require() users.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
await esbuild.build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/cjs/index.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['@opentelemetry/api'],
  logLevel: 'warning',
});
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
for (const name of readdirSync('dist/esm')) {
  if (name.endsWith('.d.ts')) copyFileSync(`dist/esm/${name}`, `dist/cjs/${name}`);
}
