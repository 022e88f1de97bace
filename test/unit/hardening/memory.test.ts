// Memory (issue 12, item 4): a project lint keeps facts, not trees, so dropping every syntax tree
// after pass 1 (and parsing again for the findings) gives exactly the findings of keeping them;
// and a lint that runs out of heap says so with exit 2 instead of an abort with no output.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintProject, type SourceFile } from '../../../src/cli/engine';
import { walkFiles } from '../../../src/cli/walk';
import { cli, repoRoot } from './support';

function sources(dir: string): SourceFile[] {
  return walkFiles(dir, true).files.map((file) => ({ file, text: readFileSync(file, 'utf8'), settings: {} }));
}

describe('hardening: memory of a project lint', function () {
  this.timeout(180_000);

  it('dropping each tree after pass 1 gives the findings of keeping them (the rule fixtures as one run)', () => {
    const files = sources(join(repoRoot(), 'test', 'fixtures', 'rules'));
    assert.ok(files.length > 50, `${files.length} fixture files`);
    const kept = lintProject(files);
    const dropped = lintProject(files, undefined, 0);
    assert.ok(kept.some((r) => r.findings.length > 0));
    assert.deepEqual(dropped, kept);
  });

  it('the watch is called between files, and a throw there stops the lint', () => {
    const files = sources(join(repoRoot(), 'test', 'fixtures', 'rules')).slice(0, 20);
    const seen: number[] = [];
    lintProject(files, (done) => void seen.push(done));
    assert.ok(seen.length >= files.length && seen.every((d) => d <= files.length));
    assert.throws(() => lintProject(files, () => { throw new Error('stop'); }), /stop/);
  });

  it('a lint that runs out of heap stops with a message and exit 2, not an abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authlint-oom-'));
    try {
      const tree = join(dir, 'tree');
      const gen = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'gen-many-files.mjs'), tree, '--files', '1500', '--size', '20000'], { encoding: 'utf8' });
      assert.equal(gen.status, 0, gen.stderr);
      const r = await cli(['lint', tree], { env: { NODE_OPTIONS: '--max-old-space-size=64' }, limitMs: 150_000 });
      assert.equal(r.killed, false);
      assert.doesNotMatch(r.err, /FATAL ERROR|heap out of memory/);
      assert.match(r.err, /^authlint lint: out of memory: the heap holds \d+ MB of its \d+ MB limit after \d+ of 1500 files/m);
      assert.equal(r.code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
