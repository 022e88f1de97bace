// One cold start of the extension outside VS Code, printing JSON (spawned by editor.mjs).
// `vscode` is not available here: a Module._resolveFilename hook points `require('vscode')`
// at a stand-in object whose every property is a callable, constructible stand-in again. That
// stand-in only lets activate() run its wiring; the timings are of AuthLint's own code.
// Usage: node editor-child.mjs <extension.js> <2,000-line file> <edit rounds> <@types/vscode index.d.ts>
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';

const [extPath, sample, editRounds, namesFrom] = process.argv.slice(2).map((a, i) => (i === 2 ? a : resolvePath(a)));

function standIn() {
  const cache = new Map();
  const fn = function () {};
  return new Proxy(fn, {
    get(target, prop) {
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => '0';
      if (prop === 'then' || prop === 'toJSON') return undefined;
      if (prop === 'prototype') return target.prototype;
      if (!cache.has(prop)) cache.set(prop, standIn());
      return cache.get(prop);
    },
    apply: () => standIn(),
    construct: () => standIn(),
  });
}

const key = join(tmpdir(), 'authlint-bench-vscode-stand-in.js');
const mod = new Module(key);
mod.filename = key;
mod.loaded = true;
// esbuild's __toESM copies the module's own keys: give it a plain object with every name the
// vscode API exports (read from @types/vscode).
const names = new Set([...readFileSync(namesFrom, 'utf8').matchAll(/\bexport (?:declare )?(?:class|enum|namespace|function|const|let) ([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
mod.exports = Object.fromEntries([...names].map((n) => [n, standIn()]));
Module._cache[key] = mod;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? key : resolve.call(this, request, ...rest);
};

const require = createRequire(import.meta.url);
const text = readFileSync(sample, 'utf8');
const settings = { maxFileSize: 2_000_000 };
const out = {};

let t0 = performance.now();
const ext = require(extPath);
out.requireMs = performance.now() - t0;

const context = new Proxy(
  { subscriptions: [], extension: { packageJSON: { version: 'bench' } }, extensionUri: standIn(), extensionPath: tmpdir() },
  { get: (o, p) => (p in o ? o[p] : standIn()) },
);
t0 = performance.now();
const api = ext.activate(context);
out.activateMs = performance.now() - t0;
// the extension's test API has said this as isEngineLoaded() and as engineLoadMs()
const engineLoaded = () => (typeof api.isEngineLoaded === 'function' ? api.isEngineLoaded() : typeof api.engineLoadMs === 'function' ? api.engineLoadMs() !== undefined : null);
out.engineLoadedAfterActivate = engineLoaded();
out.rssAfterActivateMB = Math.round(process.memoryUsage().rss / 1e5) / 10;

t0 = performance.now();
const first = api.diagnostics.lintText(text, sample, settings);
out.firstLintMs = performance.now() - t0;
out.engineLoadedAfterFirstLint = engineLoaded();
if (typeof api.engineLoadMs === 'function') out.engineLoadMs = api.engineLoadMs();
out.findings = first.findings.length;
out.rssAfterFirstLintMB = Math.round(process.memoryUsage().rss / 1e5) / 10;

// a keystroke: one space in and out again at the start of the middle line, as in perf-notes §8
const lines = text.split('\n');
const mid = Math.floor(lines.length / 2);
const edited = [...lines.slice(0, mid), ' ' + lines[mid], ...lines.slice(mid + 1)].join('\n');
out.warmMs = [];
for (let i = 0; i < Number(editRounds); i++) {
  t0 = performance.now();
  api.diagnostics.lintText(i % 2 ? text : edited, sample, settings);
  out.warmMs.push(performance.now() - t0);
}

// a file over the size limit: skipped with a message, never parsed
let big = text;
while (big.length <= settings.maxFileSize) big += '\n' + text;
t0 = performance.now();
const skipped = api.diagnostics.lintText(big, sample, settings);
out.oversize = { chars: big.length, ms: performance.now() - t0, skipped: skipped.skipped ?? null, findings: skipped.findings.length };
process.stdout.write(JSON.stringify(out) + '\n');
