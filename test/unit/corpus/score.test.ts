// The corpus scorer itself: matching tolerance, alternative anchors, duplicates, per-rule counts.
import * as assert from 'node:assert/strict';
import { isSkippedPath, score, type ExpectedLabel, type Reported } from './corpus-lib';

const label = (file: string, line: number, alt?: string[]): ExpectedLabel => ({
  pkg: 'p@1', file, line, ruleId: 'missing-www-authenticate', why: 'x', alt,
});
const found = (file: string, line: number, ruleId: Reported['ruleId'] = 'missing-www-authenticate'): Reported => ({
  pkg: 'p@1', file, line, ruleId, message: 'm',
});

describe('corpus scorer', function () {
  it('matches within one line, on the same rule only', function () {
    const s = score([label('a.js', 10)], [found('a.js', 11), found('a.js', 10, '401-for-insufficient-permission')]);
    assert.equal(s.tp, 1);
    assert.equal(s.fp.length, 1);
    assert.equal(s.fp[0].ruleId, '401-for-insufficient-permission');
    assert.equal(s.precision, 0.5);
    assert.equal(s.recall, 1);
  });

  it('does not match two lines away', function () {
    const s = score([label('a.js', 10)], [found('a.js', 12)]);
    assert.equal(s.tp, 0);
    assert.equal(s.fn.length, 1);
    assert.equal(s.fp.length, 1);
    assert.deepEqual(s.perRule['missing-www-authenticate'], { tp: 0, fp: 1, fn: 1 });
  });

  it('accepts alternative anchors and counts a second report of the same defect as a duplicate', function () {
    const s = score([label('err.js', 5, ['index.js:40', 'index.js:60'])], [found('index.js', 40), found('index.js', 60), found('err.js', 5)]);
    assert.equal(s.tp, 1);
    assert.equal(s.duplicates.length, 2);
    assert.equal(s.fp.length, 0);
    assert.equal(s.precision, 1);
  });

  it('pairs each finding with the closest label', function () {
    const s = score([label('a.js', 10), label('a.js', 11)], [found('a.js', 11), found('a.js', 10)]);
    assert.equal(s.tp, 2);
    assert.equal(s.fn.length, 0);
  });

  it('applies the test-path skip list', function () {
    assert.ok(isSkippedPath('test/x.js'));
    assert.ok(isSkippedPath('src/__tests__/x.ts'));
    assert.ok(isSkippedPath('lib/a.spec.ts'));
    assert.ok(isSkippedPath('types/index.tst.ts'));
    assert.ok(isSkippedPath('dist/index.d.ts'));
    assert.ok(!isSkippedPath('examples/server/app.js'));
    assert.ok(!isSkippedPath('test.js'));
  });
});
