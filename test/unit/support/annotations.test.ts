import * as assert from 'node:assert/strict';
import { AnnotationError, diffFindings, isAnnotationLine, lineCol, parseAnnotations } from './annotations';
import { applyPreferredFixes } from './fixes';

const IDS = ['missing-www-authenticate', '401-for-insufficient-permission'] as const;

describe('fixture annotations', () => {
  it('maps carets to the columns of the closest code line above', () => {
    const text = [
      "app.get('/me', (req, res) => {",
      '  if (!req.user) return res.status(401).end();',
      '  //                               ^^^ missing-www-authenticate',
      '});',
    ].join('\n');
    const [a, ...rest] = parseAnnotations(text, IDS);
    assert.equal(rest.length, 0);
    assert.equal(a.ruleId, 'missing-www-authenticate');
    assert.equal(text.slice(a.range[0], a.range[1]), '401');
    assert.deepEqual({ line: a.line, column: a.column }, { line: 2, column: 36 });
  });

  it('lets several annotation lines point at the same code line', () => {
    const text = [
      'if (!req.auth.admin) return res.sendStatus(401);',
      '//                                         ^^^ missing-www-authenticate',
      '//                                         ^^^ 401-for-insufficient-permission',
      'res.status(401);',
      '//         ^^^ missing-www-authenticate',
    ].join('\n');
    const found = parseAnnotations(text, IDS);
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.line, text.slice(f.range[0], f.range[1])]),
      [
        ['missing-www-authenticate', 1, '401'],
        ['401-for-insufficient-permission', 1, '401'],
        ['missing-www-authenticate', 4, '401'],
      ],
    );
  });

  it('handles CRLF line ends and indented comment markers', () => {
    const text = 'x;\r\n    throw Boom.unauthorized();\r\n    //    ^^^^^^^^^^^^^^^^^ missing-www-authenticate\r\n';
    const [a] = parseAnnotations(text, IDS);
    assert.equal(text.slice(a.range[0], a.range[1]), 'Boom.unauthorized');
    assert.equal(a.line, 2);
  });

  it('counts columns in UTF-16 code units, as the engine does', () => {
    const text = "const s = '🔒'; res.status(401);\n//                         ^^^ missing-www-authenticate";
    const [a] = parseAnnotations(text, IDS);
    assert.equal(text.slice(a.range[0], a.range[1]), '401');
  });

  it('ignores ordinary comments, including ones with carets but no id', () => {
    assert.equal(isAnnotationLine('// return 401 here'), false);
    assert.equal(isAnnotationLine('//   ^^^'), false);
    assert.equal(isAnnotationLine('  //  ^ x'), true);
    assert.deepEqual(parseAnnotations('// a note\nres.status(401); // 2^10\n', IDS), []);
  });

  it('rejects unknown rule ids, dangling annotations and carets past the line end', () => {
    assert.throws(() => parseAnnotations('res.status(401);\n//         ^^^ missing-www-authentcate', IDS), AnnotationError);
    assert.throws(() => parseAnnotations('//  ^^^ missing-www-authenticate\n', IDS), /no code line above/);
    assert.throws(() => parseAnnotations('f();\n//     ^^^ missing-www-authenticate', IDS), /past the end/);
  });

  it('reports 1-based line and column of offsets', () => {
    assert.deepEqual(lineCol('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(lineCol('ab\ncd', 4), { line: 2, column: 2 });
  });

  it('diffs expected and actual findings with positions and source', () => {
    const text = 'res.status(401);\nres.status(403);';
    const exp = [{ ruleId: 'missing-www-authenticate', range: [11, 14] as [number, number] }];
    assert.equal(diffFindings(text, exp, exp), '');
    const d = diffFindings(text, exp, [{ ruleId: '403-for-missing-credentials', range: [28, 31] }]);
    assert.match(d, /expected but not reported:\n {2}1:12-1:15 missing-www-authenticate {2}"401"/);
    assert.match(d, /reported but not expected:\n {2}2:12-2:15 403-for-missing-credentials {2}"403" {2}\| res\.status\(403\);/);
  });
});

describe('applying preferred fixes', () => {
  const fix = (start: number, end: number, text: string) => ({ title: 't', edits: [{ range: [start, end] as [number, number], text }] });

  it('applies the first fix of every finding, from the end so offsets hold', () => {
    const text = 'a(401); b(401);';
    const out = applyPreferredFixes(text, [
      { range: [10, 13], fixes: [fix(10, 13, '403'), fix(0, 0, 'never')] },
      { range: [2, 5], fixes: [fix(2, 5, '403')] },
    ]);
    assert.deepEqual(out, { text: 'a(403); b(403);', applied: 2, skipped: 0 });
  });

  it('skips a fix that overlaps one already taken, and applies duplicates once', () => {
    const text = 'res.status(401)';
    const out = applyPreferredFixes(text, [
      { range: [11, 14], fixes: [fix(4, 4, "set('WWW-Authenticate', C).")] },
      { range: [11, 14], fixes: [fix(4, 4, "set('WWW-Authenticate', C).")] },
      { range: [11, 14], fixes: [fix(0, 15, 'other')] },
    ]);
    assert.equal(out.text, "res.set('WWW-Authenticate', C).status(401)");
    assert.equal(out.skipped, 1);
  });

  it('leaves text alone when no finding has a fix', () => {
    assert.equal(applyPreferredFixes('x', [{ range: [0, 1], fixes: [] }]).text, 'x');
  });
});
