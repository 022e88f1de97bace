// Bundles the pieces the bench calls in-process, with the same esbuild settings as dist/cli.js,
// into .cache/bench/engine.cjs. Floor and analysis then run the very same copy of
// typescript-estree (one module instance, one JIT state), so their ratio compares like with like.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CLI_COMMANDS, cliTargets } from '../cli-bundles.mjs';

const ENTRY = `
export { parse as estreeParse } from '@typescript-eslint/typescript-estree';
export { parseSource } from './parse';
export { SUPPRESSION_PREFIX } from './suppressions';
export { collect } from './collect';
export { analyze, findingsOf, lintSource, projectFactsOf } from './lint';
export { lintPaths } from '../cli/lint';
`;

const COMMON = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'none' };

export async function buildEngine(repoRoot) {
  const outDir = join(repoRoot, '.cache', 'bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'engine.cjs');
  await esbuild.build({ ...COMMON, stdin: { contents: ENTRY, resolveDir: join(repoRoot, 'src', 'analysis'), loader: 'ts', sourcefile: 'bench-entry.ts' }, outfile });
  return outfile;
}

/**
 * The bench's own copies of the shipped bundles, built with esbuild.mjs's settings into
 * .cache/bench/{dev,production}/, so that a rebuild of dist/ by someone else during a run changes
 * nothing here. dev = `npm run build` (sourcemap, not minified); production = `vscode:prepublish`
 * (`esbuild.mjs --production`: minified), what `vsce package` ships.
 */
export async function buildBundles(repoRoot) {
  // As esbuild.mjs ships it: the lazy require('../analysis/lint') of the extension and of the
  // CLI's engine adapter becomes require('./engine.js'), and the engine (parser included) is a
  // bundle of its own.
  const splitEngine = {
    name: 'split-engine',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/analysis\/lint$/ }, (a) =>
        /[\\/]extension[\\/]/.test(a.importer) || (a.kind === 'require-call' && /[\\/](cli[\\/]engine\.ts|server[\\/][^\\/]+\.ts)$/.test(a.importer)) ? { path: './engine.js', external: true } : undefined);
    },
  };
  const out = {};
  for (const mode of ['dev', 'production']) {
    const prod = mode === 'production';
    const dir = join(repoRoot, '.cache', 'bench', mode);
    const opts = { ...COMMON, minify: prod, sourcemap: !prod, metafile: true };
    const ext = await esbuild.build({ ...opts, plugins: [splitEngine], entryPoints: [join(repoRoot, 'src', 'extension', 'extension.ts')], outfile: join(dir, 'extension.js'), external: ['vscode'] });
    const eng = await esbuild.build({ ...opts, entryPoints: [join(repoRoot, 'src', 'analysis', 'lint.ts')], outfile: join(dir, 'engine.js') });
    const define = { AUTHLINT_ENGINE_ID: JSON.stringify(`bench-${Date.now()}`) };
    // the CLI as esbuild.mjs splits it: cli.js dispatches, each command is a file (cli-<command>.js)
    const cliParts = await Promise.all(cliTargets({ ...opts, plugins: [splitEngine], define }, { srcRoot: repoRoot, outdir: dir }).map((t) => esbuild.build(t)));
    const cli = cliParts[0];
    const server = await esbuild.build({ ...opts, plugins: [splitEngine], define, entryPoints: [join(repoRoot, 'src', 'server', 'main.ts')], outfile: join(dir, 'server.js') });
    const size = (r, name) => Object.entries(r.metafile.outputs).find(([f]) => f.endsWith(name))[1].bytes;
    out[mode] = {
      extension: join(dir, 'extension.js'), cli: join(dir, 'cli.js'), server: join(dir, 'server.js'), extensionBytes: size(ext, 'extension.js'), engineBytes: size(eng, 'engine.js'), cliBytes: size(cli, 'cli.js'), serverBytes: size(server, 'server.js'),
      cliCommandBytes: Object.fromEntries(CLI_COMMANDS.map((c, k) => [c, size(cliParts[k + 1], `cli-${c}.js`)])),
    };
  }
  return out;
}

export function loadEngine(file) {
  return createRequire(import.meta.url)(file);
}

/**
 * The floor: the parse parseSource makes (same options, same JSX retry; comments collected only
 * when the text holds a suppression directive), nothing else.
 */
export function makeFloor(engine) {
  const opts = (fileName, jsx, comment) => ({ range: true, loc: false, comment, tokens: false, jsx, filePath: fileName, errorOnUnknownASTType: false });
  return (text, fileName) => {
    const comment = text.includes(engine.SUPPRESSION_PREFIX);
    const lower = fileName.toLowerCase();
    const isTs = /\.(ts|mts|cts)$/.test(lower);
    const jsxFirst = /\.(tsx|jsx)$/.test(lower) || (!isTs && !lower.endsWith('.tsx'));
    try {
      return engine.estreeParse(text, opts(fileName, jsxFirst, comment));
    } catch (err) {
      if (isTs) throw err;
      return engine.estreeParse(text, opts(fileName, !jsxFirst, comment));
    }
  };
}

/** Full analysis of a file whatever its text (analyze() minus the prefilter), timed in three parts. */
export function makeForcedAnalysis(engine) {
  const now = process.hrtime.bigint;
  return (text, fileName, times) => {
    const t0 = now();
    const parsed = engine.parseSource(text, fileName);
    const t1 = now();
    if (!parsed.ok) throw new Error(parsed.error);
    const facts = engine.collect(parsed.ast, text);
    const t2 = now();
    const r = engine.findingsOf({ facts });
    const t3 = now();
    if (r.error) throw new Error(r.error);
    times[0] = Number(t1 - t0) / 1e6;
    times[1] = Number(t2 - t1) / 1e6;
    times[2] = Number(t3 - t2) / 1e6;
    return r;
  };
}
