// Bundles the extension (vscode external), the language server and the CLI (no externals: a stray
// `vscode` import anywhere under src/cli fails the build, which keeps the core pure).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

// The extension, the CLI and the ESLint plugin load the analysis engine (typescript-estree and
// TypeScript, most of the bytes) only when a file needs a parse: `require('../analysis/lint')` in
// src/extension and src/cli/engine.ts becomes `require('./engine.js')`, a bundle of its own, so
// activation, `authlint --help`, `send` and `explain` read a small file.
const engineExternal = {
  name: 'engine-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/analysis\/lint$/ }, (args) => {
      const from = args.importer.split('\\').join('/');
      if (args.kind === 'require-call' && (from.includes('src/extension/') || from.includes('src/server/') || from.endsWith('src/cli/engine.ts'))) return { path: './engine.js', external: true };
      return undefined;
    });
  },
};

// `authlint lsp` loads the language server (dist/server.js, with vscode-languageserver) only when
// asked: `require('../server/main')` in src/cli/lsp.ts becomes `require('./server.js')`.
const serverExternal = {
  name: 'server-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/server\/main$/ }, (args) => {
      const from = args.importer.split('\\').join('/');
      if (args.kind === 'require-call' && from.endsWith('src/cli/lsp.ts')) return { path: './server.js', external: true };
      return undefined;
    });
  },
};

// The CLI's cache keys on the engine's identity: a hash of the engine sources and of the parser's
// version, fixed at build time.
const engineId = (() => {
  const h = createHash('sha256');
  const visit = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (name.endsWith('.ts')) h.update(p + '\0' + readFileSync(p, 'utf8') + '\0');
    }
  };
  visit('src/analysis');
  for (const dep of ['@typescript-eslint/typescript-estree', 'typescript']) {
    try {
      h.update(JSON.parse(readFileSync(join('node_modules', dep, 'package.json'), 'utf8')).version);
    } catch {
      /* not installed: the sources alone */
    }
  }
  return h.digest('hex').slice(0, 16);
})();
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const define = { AUTHLINT_ENGINE_ID: JSON.stringify(`${version}-${engineId}`), AUTHLINT_VERSION: JSON.stringify(version) };

const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [engineExternal] },
  { ...common, entryPoints: ['src/analysis/lint.ts'], outfile: 'dist/engine.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [engineExternal, serverExternal], define },
  { ...common, entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js', plugins: [engineExternal], define },
  { ...common, entryPoints: ['src/eslint-plugin/index.ts'], outfile: 'dist/eslint-plugin.js', plugins: [engineExternal], define },
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
