// Run by npm start (scripts/start.mjs, after linting examples/): starts examples/demo-server.js
// on a free port, sends several requests of examples/requests.http to it with
// `node dist/cli.js send`, prints the reports, stops the server.
// Exit 0 when every send exited 0 (a response was received and explained).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const cli = join(root, 'dist', 'cli.js');
const names = ['noChallenge', 'missingToken', 'profileExpired', 'basicRejected', 'loginRedirect', 'adminScope', 'profile'];

const server = spawn(process.execPath, [join(root, 'examples', 'demo-server.js'), '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((ok, fail) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) ok(m[1]);
  });
  server.once('exit', (code) => fail(new Error(`demo server exited (${code}) before listening`)));
});

// A copy of requests.http whose @host points at this server's port.
const dir = mkdtempSync(join(tmpdir(), 'authlint-demo-'));
const file = join(dir, 'requests.http');
writeFileSync(file, readFileSync(join(root, 'examples', 'requests.http'), 'utf8').replace(/^@host = .*$/m, `@host = ${base}`));

let failures = 0;
try {
  for (const name of names) {
    console.log(`\n$ authlint send examples/requests.http --name ${name}    (@host = ${base})`);
    const r = spawnSync(process.execPath, [cli, 'send', file, '--name', name], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
      failures++;
      console.error(`authlint send --name ${name} exited ${r.status}`);
    }
  }
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures > 0 ? 1 : 0);
