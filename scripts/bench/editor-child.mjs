// One cold start of the extension outside VS Code, printing JSON (spawned by editor.mjs): the
// time to require dist/extension.js and run activate(), and whether the analysis engine stayed
// out of the process (it runs in the language server; lsp-child.mjs times that).
// `vscode` is not available here: a Module._resolveFilename hook points `require('vscode')`
// at a stand-in object whose every property is a callable, constructible stand-in again. That
// stand-in only lets activate() run its wiring; the timings are of AuthLint's own code.
// Usage: node editor-child.mjs <extension.js> <unused> <unused> <@types/vscode index.d.ts>
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';

const [extPath, , , namesFrom] = process.argv.slice(2).map((a, i) => (i === 2 ? a : resolvePath(a)));

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
// vscode-languageclient checks the version at construction
mod.exports.version = '1.100.3';
Module._cache[key] = mod;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? key : resolve.call(this, request, ...rest);
};

const require = createRequire(import.meta.url);
const out = {};

let t0 = performance.now();
const ext = require(extPath);
out.requireMs = performance.now() - t0;

const context = new Proxy(
  { subscriptions: [], extension: { packageJSON: { version: 'bench' } }, extensionUri: standIn(), extensionPath: tmpdir(), logUri: standIn() },
  { get: (o, p) => (p in o ? o[p] : standIn()) },
);
t0 = performance.now();
const api = ext.activate(context);
out.activateMs = performance.now() - t0;
// Linting is the language server's: the extension host never loads the analysis engine.
const engineLoaded = () => Object.keys(require.cache).some((k) => /[\\/](engine|server)\.js$|typescript-estree/.test(k));
out.engineLoadedAfterActivate = engineLoaded();
out.clientCreated = !!api?.lsp?.client;
out.rssAfterActivateMB = Math.round(process.memoryUsage().rss / 1e5) / 10;
// (the stand-in cannot start a real server: the client's start fails quietly; nothing is timed after this)
api?.lsp?.ready?.catch?.(() => {});
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
