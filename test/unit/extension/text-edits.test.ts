// The extension's VS Code-free helpers: fix-all merging (checked against every golden
// .fixed fixture), offset -> position mapping, and files.exclude brace globs.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintSource } from '../../../src/analysis/lint';
import type { TextEdit } from '../../../src/analysis/types';
import { applyEdits, collides, expandBraces, mergeFixes, positionMapper } from '../../../src/extension/text-edits';
import { repoRoot, walkFiles } from '../support/fixture-files';

const edit = (start: number, end: number, text = ''): TextEdit => ({ range: [start, end], text });

describe('extension text helpers', () => {
  it('collides: overlapping replacements and insertions inside them, not touching ends or two insertions', () => {
    assert.strictEqual(collides(edit(0, 5), edit(4, 8)), true);
    assert.strictEqual(collides(edit(3, 3), edit(0, 5)), true);
    assert.strictEqual(collides(edit(0, 5), edit(5, 8)), false);
    assert.strictEqual(collides(edit(5, 5), edit(0, 5)), false);
    assert.strictEqual(collides(edit(2, 2, 'a'), edit(2, 2, 'b')), false);
  });

  it('mergeFixes: a colliding fix is skipped whole, a repeated edit applies once, insertions keep order', () => {
    const a = [edit(0, 1, 'A'), edit(10, 10, '!')];
    const b = [edit(10, 10, '!'), edit(20, 21, 'B')]; // shares an identical edit with a
    const c = [edit(0, 3, 'C'), edit(30, 31, 'X')]; // collides with a's first edit
    const d = [edit(10, 10, '?')]; // another insertion at 10
    assert.deepStrictEqual(mergeFixes([a, b, c, d]), [edit(0, 1, 'A'), edit(10, 10, '!'), edit(20, 21, 'B'), edit(10, 10, '?')]);
    assert.strictEqual(applyEdits('0123456789abcdefghijKLMNOPQRST', mergeFixes([a, b, c, d])), 'A123456789!?abcdefghijBLMNOPQRST');
  });

  it('fix-all over every golden fixture gives its .fixed file', () => {
    const dir = path.join(repoRoot(__dirname), 'test/fixtures/rules');
    let checked = 0;
    for (const rel of walkFiles(dir).filter((f) => /\.fixed\.\w+$/.test(f))) {
      const source = path.join(dir, rel.replace(/\.fixed(\.\w+)$/, '$1'));
      const text = fs.readFileSync(source, 'utf8');
      const findings = lintSource(text, source, {}).findings.sort((x, y) => x.range[0] - y.range[0] || x.range[1] - y.range[1]);
      const fixes = findings.flatMap((f) => (f.fixes[0]?.edits.length ? [f.fixes[0].edits] : []));
      assert.strictEqual(applyEdits(text, mergeFixes(fixes)), fs.readFileSync(path.join(dir, rel), 'utf8'), rel);
      checked++;
    }
    assert.ok(checked >= 6, `golden fixtures checked: ${checked}`);
  });

  it('positionMapper: \\n, \\r\\n and a lone \\r end lines; offsets count UTF-16 units', () => {
    const at = positionMapper('ab\ncd\r\nef\rg😀h');
    assert.deepStrictEqual([0, 2, 3, 5, 7, 10, 11, 13].map(at), [
      { line: 0, character: 0 }, { line: 0, character: 2 }, { line: 1, character: 0 }, { line: 1, character: 2 },
      { line: 2, character: 0 }, { line: 3, character: 0 }, { line: 3, character: 1 }, { line: 3, character: 3 },
    ]);
  });

  it('expandBraces: every alternative of each {…} group', () => {
    assert.deepStrictEqual(expandBraces('**/dist'), ['**/dist']);
    assert.deepStrictEqual(expandBraces('a/{b,c}/*.{js,ts}').sort(), ['a/b/*.js', 'a/b/*.ts', 'a/c/*.js', 'a/c/*.ts']);
  });
});
