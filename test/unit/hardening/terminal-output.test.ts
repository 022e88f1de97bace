// Issue 12, items 6 and 7: text output is inert in a terminal, and a BOM does not shift columns.
// - generated reports (file names and messages with every kind of non-printable character):
//   the text output holds no control, format, separator or unassigned character except the
//   newline ending each line, and has exactly one line per finding and per error plus the summary;
// - a real lint of files whose string literals hold escape sequences, OSC 8 links and bidi
//   controls, and whose names hold a newline and ESC;
// - a BOM before generated sources leaves every finding's line and column unchanged.

import * as assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { lintPaths, type LintReport } from '../../../src/cli/lint';
import { formatText } from '../../../src/cli/format/text';
import { visible } from '../../../src/http/render-text';
import { escapeForTerminal } from '../../../src/http/terminal-text';

/** What must never reach a terminal raw. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}]/u;
const HOSTILE = [
  '\u001b[2J', '\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007', '\u009b31m', '\u0007', '\u0000', '\r', '\n', '\u2028', '\u2029',
  '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u200d', '\u2060', '\ufeff', '\u00ad',
  '\ud800', '\udfff', '\u{e0041}', '\u0378', 'é', '漢', '😀', ' ', 'a', ':', '\\x1b',
];
const hostileText = fc.array(fc.constantFrom(...HOSTILE), { maxLength: 12 }).map((a) => a.join(''));

describe('hardening: terminal output is inert', function () {
  this.timeout(120_000);

  it('formatText escapes every non-printable character and keeps one line per entry (generated reports)', () => {
    const finding = fc.record({ file: hostileText, message: hostileText, line: fc.nat(), column: fc.nat() });
    const error = fc.record({ file: hostileText, message: hostileText });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 5 }), fc.array(error, { maxLength: 3 }), (fs, es) => {
        const report: LintReport = {
          findings: fs.map((f) => ({ ...f, endLine: f.line, endColumn: f.column, ruleId: 'missing-www-authenticate', severity: 'error' })),
          files: fs.length,
          errors: es,
        };
        const out = formatText(report);
        const lines = out.split('\n');
        assert.equal(lines.pop(), '', 'ends with a newline');
        assert.equal(lines.length, fs.length + es.length + 1, 'one line per finding and error, plus the summary');
        for (const l of lines) assert.ok(!NOT_PRINTABLE.test(l), JSON.stringify(l));
      }),
      { seed: 6, numRuns: 300 },
    );
  });

  it('escapes are reversible in meaning: printable text is unchanged, and explain uses the same helper', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        if (!NOT_PRINTABLE.test(s)) assert.equal(escapeForTerminal(s), s);
        assert.equal(visible(s), escapeForTerminal(s));
        assert.ok(!NOT_PRINTABLE.test(escapeForTerminal(s)));
      }),
      { seed: 7, numRuns: 300 },
    );
    assert.equal(escapeForTerminal('a\u001b[31mb\u202ec\u200bd\u{e0041}'), 'a\\x1b[31mb\\u202ec\\u200bd\\u{e0041}');
    assert.equal(visible('a\r\nb\tc\u202e', true), 'a\nb\tc\\u202e');
  });

  it('a real lint: hostile string literals and file names print inert text', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'authlint-term-')));
    try {
      const evil = '\u001b]8;;https://evil.test\u0007x\u001b]8;;\u0007\u202e\u200b\u001b[2J';
      const src = `const express = require('express');
const app = express();
app.get('/a', (req, res) => {
  res.set('WWW-Authenticate', 'Digest realm="a", nonce="b", qop="auth", algorithm="${evil}"');
  res.status(401).end();
});
`;
      const name = 'srv\nfake.js:1:1: error missing-www-authenticate: fake\u001b[31m.js';
      writeFileSync(join(root, name), src);
      const report = lintPaths([root]);
      assert.ok(report.findings.length >= 1, JSON.stringify(report));
      assert.ok(report.findings.some((f) => f.message.includes('\u001b')), 'the message carries the literal raw (JSON keeps it)');
      const out = formatText(report);
      const lines = out.trimEnd().split('\n');
      assert.equal(lines.length, report.findings.length + report.errors.length + 1);
      for (const l of lines) assert.ok(!NOT_PRINTABLE.test(l), JSON.stringify(l));
      assert.ok(out.includes('srv\\x0afake.js'));
      assert.ok(!lines.some((l) => l.startsWith('fake.js')), 'no fake line');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('hardening: a BOM does not shift columns', function () {
  this.timeout(120_000);

  it('generated sources: the same findings at the same lines and columns with and without a BOM', () => {
    const stmt = fc.constantFrom(
      "res.status(401).send('no');",
      "res.status(401).set('WWW-Authenticate', 'Basic').end();",
      "return res.status(403).json({ error: 'missing token' });",
      "res.writeHead(401); res.end();",
      "x = 1;",
    );
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'authlint-bom-')));
    try {
      fc.assert(
        fc.property(fc.array(stmt, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat({ max: 6 }), (body, firstLine, indent) => {
          const lead = ' '.repeat(indent);
          // the first statement may sit on line 1, where the BOM is
          const text = firstLine
            ? `${lead}require('express')().get('/', (req, res) => { ${body.join(' ')} });\n`
            : `const express = require('express');\nconst app = express();\napp.get('/', (req, res) => {\n${body.map((s) => lead + s).join('\n')}\n});\n`;
          writeFileSync(join(root, 'plain.js'), text);
          writeFileSync(join(root, 'bom.js'), '\ufeff' + text);
          const plain = lintPaths([join(root, 'plain.js')]).findings.map(({ file: _f, ...f }) => f);
          const bom = lintPaths([join(root, 'bom.js')]).findings.map(({ file: _f, ...f }) => f);
          assert.deepEqual(bom, plain);
        }),
        { seed: 77, numRuns: 40 },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
