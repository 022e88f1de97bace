// Inputs of the analyzer stress test: the files of the stress corpus (fetched by
// scripts/fetch-stress-corpus.mjs), seeded mutants of them, deeply nested expressions, a
// minified bundle made by esbuild, and a file over the size limit.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot, rng } from './support';

export interface Input {
  /** Where it came from: a corpus path, `mutant:<n>:<kind>:<detail>:<path>`, `nested:<kind>`, ... */
  id: string;
  /** File name given to the linter (its extension picks the parser). */
  fileName: string;
  text: string;
}

const SOURCE = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;

/** Fetches the corpus if needed (npm pack, cached in .cache/stress-corpus); throws with the reason. */
export function ensureStressCorpus(): string {
  const root = repoRoot();
  const script = join(root, 'scripts', 'fetch-stress-corpus.mjs');
  const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`fetching the stress corpus failed (needs the npm registry): ${r.stderr || r.stdout || r.error?.message}`);
  return join(root, '.cache', 'stress-corpus');
}

export function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE.test(e.name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** Seeded mutants of the given files (only files under maxChars, to bound the run time). */
export function mutants(dir: string, files: string[], seed: number, perKind: number, maxChars = 150_000): Input[] {
  const rand = rng(seed);
  const small = files.filter((f) => readFileSync(f).length < maxChars);
  const pick = (): string => small[Math.floor(rand() * small.length)]!;
  const rel = (f: string): string => relative(dir, f);
  const out: Input[] = [];
  for (let i = 0; i < perKind; i++) {
    const f = pick();
    const t = readFileSync(f, 'utf8');
    const cut = Math.floor(rand() * t.length);
    out.push({ id: `mutant:${i}:truncated:at ${cut}:${rel(f)}`, fileName: f, text: t.slice(0, cut) });
  }
  for (let i = 0; i < perKind; i++) {
    const f = pick();
    const buf = Buffer.from(readFileSync(f));
    const flips = 1 + Math.floor(rand() * 8);
    for (let k = 0; k < flips && buf.length > 0; k++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
    out.push({ id: `mutant:${i}:flipped:${flips} bytes:${rel(f)}`, fileName: f, text: buf.toString('utf8') });
  }
  for (let i = 0; i < perKind; i++) {
    // Not UTF-8: high bytes sprinkled in, read as a Buffer and decoded lossy (U+FFFD), or as latin1.
    const f = pick();
    const bytes = [...readFileSync(f)];
    for (let k = 0; k < 20; k++) bytes.splice(Math.floor(rand() * (bytes.length + 1)), 0, 0x80 + Math.floor(rand() * 128));
    const buf = Buffer.from(bytes);
    out.push({ id: `mutant:${i}:not-utf8:${i % 2 === 0 ? 'lossy' : 'latin1'}:${rel(f)}`, fileName: f, text: i % 2 === 0 ? buf.toString('utf8') : buf.toString('latin1') });
  }
  for (let i = 0; i < perKind; i++) {
    const a = readFileSync(pick(), 'utf8');
    const f = pick();
    const b = readFileSync(f, 'utf8');
    const at = Math.floor(rand() * b.length);
    const s = Math.floor(rand() * a.length);
    out.push({ id: `mutant:${i}:spliced:at ${at}:${rel(f)}`, fileName: f, text: b.slice(0, at) + a.slice(s, s + 2000) + b.slice(at) });
  }
  return out;
}

/** 5,000-deep nestings of the constructs a recursive parser or walker descends into. */
export function deepNestings(n = 5000): Input[] {
  const cases: Record<string, [string, string]> = {
    parens: ['x.js', `res.status(401).send(${'('.repeat(n)}1${')'.repeat(n)});`],
    arrays: ['x.js', `const a = ${'['.repeat(n)}${']'.repeat(n)}; res.status(401);`],
    objects: ['x.js', `const a = ${'{a:'.repeat(n)}1${'}'.repeat(n)}; res.status(401);`],
    calls: ['x.js', `f${'(g'.repeat(n)}${')'.repeat(n)}; res.status(401);`],
    functions: ['x.js', `${'function f(req, res) {'.repeat(n)}res.status(401).end();${'}'.repeat(n)}`],
    blocks: ['x.js', `function h(req, res) {${'if (x) {'.repeat(n)}res.status(401).end();${'}'.repeat(n)}}`],
    arrows: ['x.js', `const f = ${'() => '.repeat(n)}res.status(401);`],
    binary: ['x.js', `const a = 1${' + 1'.repeat(n)}; res.status(401);`],
    members: ['x.js', `res${'.status(401).set("a", "b")'.repeat(n)};`],
    templates: ['x.js', `res.status(401).send(${'`${'.repeat(n)}1${'}`'.repeat(n)});`],
    jsx: ['x.jsx', `res.status(401); const v = ${'<div>'.repeat(n)}x${'</div>'.repeat(n)};`],
    generics: ['x.ts', `let a: ${'Array<'.repeat(n)}number${'>'.repeat(n)}; res.status(401);`],
    unclosed: ['x.js', `res.status(401); ${'({['.repeat(n)}`],
  };
  return Object.entries(cases).map(([k, [fileName, text]]) => ({ id: `nested:${k}x${n}`, fileName, text }));
}

/** A real minified bundle: hono and its auth middleware, bundled and minified by esbuild. */
export function minifiedBundle(dir: string): Input {
  const hono = join(dir, 'hono@4.13.19', 'dist');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const parts = ['index.js', 'http-exception.js', ...['middleware', 'helper'].flatMap((d) => readdirSync(join(hono, d)).map((m) => `${d}/${m}/index.js`))];
  const entry = parts
    .filter((p) => existsSync(join(hono, p)))
    .map((p, i) => `export * as m${i} from ${JSON.stringify(join(hono, p))};`)
    .join('\n');
  const r = esbuild.buildSync({ stdin: { contents: entry, resolveDir: hono, loader: 'js' }, bundle: true, minify: true, write: false, format: 'esm', platform: 'node', external: ['node:*'], logLevel: 'silent' });
  return { id: 'bundle:hono.min.js', fileName: 'hono.min.js', text: r.outputFiles[0]!.text };
}

/** A real file repeated past 10 MB. */
export function tenMegabytes(files: string[]): Input {
  const src = readFileSync(files.find((f) => f.endsWith('fastify.js')) ?? files[0]!, 'utf8');
  return { id: 'big:10MB', fileName: 'big.js', text: src.repeat(Math.ceil((10 * 1024 * 1024) / src.length)) };
}
