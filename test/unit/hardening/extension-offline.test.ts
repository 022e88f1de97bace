// The extension sends nothing anywhere on its own: no telemetry, no analytics, no remote
// resources. Checked on the extension bundle esbuild makes from src/extension/extension.ts
// (the module graph says which files can open a connection) and on the source text.

import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as esbuildTypes from 'esbuild';
import { repoRoot } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const esbuild = require('esbuild') as typeof esbuildTypes;

/** Which of our modules may import a networking module, and why. */
const NETWORK_IMPORTS: Record<string, string[]> = {
  'src/http/send-transport.ts': ['node:http', 'node:https', 'node:net', 'node:tls'], // sends the request the user asked for
  'src/http/send-proxy.ts': ['node:http'], // CONNECT through the user's proxy
  'src/http/send-errors.ts': ['node:http'], // maxHeaderSize, for a message
  'src/http/send-cookies.ts': ['node:net'], // isIP
  'src/http/oauth/flows.ts': ['node:http'], // the one-use 127.0.0.1 redirect listener of an OAuth login the user started
  // vscode-languageclient starts the AuthLint language server as a child process and talks to it
  // over Node IPC (the `net` import serves its pipe/socket transports, which AuthLint does not use)
  'node_modules/vscode-languageclient/lib/node/main.js': ['child_process'],
  'node_modules/vscode-languageclient/lib/node/processes.js': ['child_process'],
  'node_modules/vscode-jsonrpc/lib/node/main.js': ['net'],
};
const NETWORK_MODULE = /^(node:)?(http|https|http2|net|tls|dgram|dns|child_process|worker_threads|cluster)$/;
const TELEMETRY = [/createTelemetryLogger/, /TelemetryReporter/, /extension-telemetry/i, /applicationinsights/i, /dc\.services\.visualstudio\.com/, /vortex\.data\.microsoft\.com/, /google-analytics\.com/, /googletagmanager/, /segment\.(io|com)\/v1/, /sentry\.io/, /mixpanel/i, /amplitude\.com/, /posthog/i, /datadoghq/, /bugsnag/i, /honeycomb\.io/];
/** Hosts our own source may name: documentation, schemas, and reserved example names. */
const OUR_HOSTS = /^(github\.com|json\.schemastore\.org|www\.rfc-editor\.org|datatracker\.ietf\.org|developer\.mozilla\.org|([\w-]+\.)*example\.(com|org)|[\w.-]*\.invalid|localhost|127\.0\.0\.1|proxy(:port)?|)$/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('hardening: the extension sends nothing on its own', function () {
  this.timeout(120_000);
  const root = repoRoot();
  let bundle: esbuildTypes.BuildResult & { metafile: esbuildTypes.Metafile; outputFiles: esbuildTypes.OutputFile[] };

  before(() => {
    bundle = esbuild.buildSync({ absWorkingDir: root, entryPoints: ['src/extension/extension.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], write: false, metafile: true, logLevel: 'silent' });
  });

  it('only the request runner can open a connection: no other module of the bundle imports a networking module', () => {
    const found: Record<string, string[]> = {};
    for (const [file, info] of Object.entries(bundle.metafile.inputs)) {
      const net = info.imports.map((i) => i.path).filter((p) => NETWORK_MODULE.test(p));
      if (net.length) found[file] = [...new Set(net)].sort();
    }
    assert.deepEqual(found, Object.fromEntries(Object.entries(NETWORK_IMPORTS).map(([k, v]) => [k, [...v].sort()])));
  });

  it('no source file uses a global network API (fetch, XMLHttpRequest, WebSocket, EventSource, sendBeacon)', () => {
    for (const f of sources(join(root, 'src'))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\b(fetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon)/g)) assert.fail(`${relative(root, f)} uses ${m[1]}`);
    }
  });

  it('no telemetry or analytics in the package, the bundle or the built dist/extension.js', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) assert.ok(!/telemetry|analytics|insights|sentry|segment/i.test(dep), dep);
    const texts = [bundle.outputFiles[0]!.text];
    const dist = join(root, 'dist', 'extension.js');
    if (existsSync(dist)) texts.push(readFileSync(dist, 'utf8'));
    for (const text of texts) for (const re of TELEMETRY) assert.ok(!re.test(text), `bundle matches ${re}`);
  });

  it('our own source names only documentation, schema and example hosts (links the user may open, never fetched)', () => {
    for (const f of sources(join(root, 'src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/https?:\/\/([^/"'`\s)<>\\,]*)/g)) {
        assert.match(m[1]!.replace(/^[^@]*@/, '').replace(/\$\{.*/, ''), OUR_HOSTS, `${relative(root, f)} names ${m[0]}`);
      }
    }
  });

  it('the extension source holds no remote image, font, stylesheet or script reference', () => {
    for (const f of sources(join(root, 'src', 'extension'))) {
      const text = readFileSync(f, 'utf8');
      assert.ok(!/<(img|link|script|iframe)\b|@font-face|@import|url\(\s*['"]?https?:/i.test(text), relative(root, f));
    }
  });
});
