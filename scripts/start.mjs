// npm start: lint the bundled example server, then run the request demo against it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

console.log('> authlint lint examples/\n');
const lint = spawnSync(process.execPath, ['dist/cli.js', 'lint', 'examples/'], { stdio: 'inherit' });
if (lint.status === 2) process.exit(2);
console.log(lint.status === 1 ? '\n(exit 1: findings, as expected for the example)\n' : '');
if (existsSync('scripts/demo.mjs')) {
  const demo = spawnSync(process.execPath, ['scripts/demo.mjs'], { stdio: 'inherit' });
  process.exit(demo.status ?? 1);
}
