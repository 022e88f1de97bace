// Bundles the extension (vscode external) and the CLI (no externals: a stray
// `vscode` import anywhere under src/cli fails the build, which keeps the core pure).
import * as esbuild from 'esbuild';
import { writeFileSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
};

// The extension loads the analysis engine (typescript-estree and TypeScript, most of the bytes)
// only on the first lint: `require('../analysis/lint')` in src/extension becomes
// `require('./engine.js')`, a bundle of its own, so activation reads a small file.
const engineExternal = {
  name: 'engine-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/analysis\/lint$/ }, (args) =>
      args.importer.includes(`${'src'}/extension`) || args.importer.includes('src\\extension') ? { path: './engine.js', external: true } : undefined,
    );
  },
};

const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [engineExternal] },
  { ...common, entryPoints: ['src/analysis/lint.ts'], outfile: 'dist/engine.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

mkdirSync('dist', { recursive: true });
if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context(t);
    await ctx.watch();
  }
  console.log('[watch] build started');
} else {
  const sizes = {};
  for (const t of targets) {
    const result = await esbuild.build(t);
    for (const [file, info] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith('.map')) sizes[file] = info.bytes;
    }
  }
  writeFileSync('dist/meta.json', JSON.stringify(sizes, null, 2) + '\n');
}
