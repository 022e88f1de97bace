// `authlint lint --format sarif` checked by Microsoft's own SARIF validator (the
// @microsoft/sarif-multitool package, a self-contained binary): several runs with relative and
// absolute paths, files outside the current folder, names with spaces, '#', '%' and non-ASCII,
// fixes and a file that does not parse. Zero errors and zero warnings. Also: URIs, rule names,
// fingerprints that survive line shifts.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '../support/fixture-files';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

function lint(args: string[], cwd: string): Sarif {
  const r = spawnSync(process.execPath, [cli, 'lint', '--format', 'sarif', ...args], { cwd, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout) as Sarif;
}

interface Sarif {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; name: string }> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }>;
      partialFingerprints: Record<string, string>;
      fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }>;
    }>;
  }>;
}

/** The validator binary of this platform (from the optional dependency the package installs). */
function multitool(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dir = path.dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`));
  const bin = path.join(dir, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  // npm may skip the package's postinstall (which only sets the executable bit)
  if (process.platform !== 'win32' && (fs.statSync(bin).mode & 0o100) === 0) fs.chmodSync(bin, fs.statSync(bin).mode | 0o100);
  return bin;
}

const CODE = (extra = '') =>
  `${extra}const app = require('express')();\napp.get('/x', (req, res) => {\n  if (!req.headers.authorization) return res.status(403).end();\n  if (!req.user) return res.status(401).json({ error: 'login' });\n  res.set('WWW-Authenticate', 'Basic charset="UTF-8"');\n  res.end('ok');\n});\n`;

describe('SARIF output (Microsoft SARIF validator)', function () {
  this.timeout(240000);
  let dir: string;
  let outside: string;
  const names = ['plain.js', 'with space.js', 'hash#1.ts', '100%.js', 'naïve-ünïcödé-名前.js'];
  before(function () {
    if (!fs.existsSync(cli)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-sarif-'));
    for (const n of names) {
      fs.mkdirSync(path.join(dir, 'proj', 'src dir'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'proj', 'src dir', n), CODE());
    }
    fs.writeFileSync(path.join(dir, 'proj', 'src dir', 'broken.js'), 'app.get("/", (req, res) => { res.sendStatus(401);\n');
    outside = path.join(dir, 'elsewhere');
    fs.mkdirSync(outside);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('passes the validator with zero errors and zero warnings over several runs', () => {
    const proj = path.join(dir, 'proj');
    const runs: Array<[string, Sarif]> = [
      ['relative', lint(['src dir'], proj)],
      ['absolute-under-cwd', lint([path.join(proj, 'src dir')], proj)],
      ['outside-cwd', lint([path.join(proj, 'src dir')], outside)],
      ['relative-outside-cwd', lint([path.join('..', 'proj', 'src dir')], outside)],
      ['one-file', lint([path.join('src dir', 'naïve-ünïcödé-名前.js')], proj)],
    ];
    const files = runs.map(([label, s]) => {
      const f = path.join(dir, `${label}.sarif`);
      fs.writeFileSync(f, JSON.stringify(s, null, 2));
      return f;
    });
    const out = path.join(dir, 'validation.sarif');
    const r = spawnSync(multitool(), ['validate', ...files, '--output', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const log = JSON.parse(fs.readFileSync(out, 'utf8')) as { runs: Array<{ results?: Array<{ level?: string; ruleId: string; message: { id?: string; arguments?: string[] } }> }> };
    const problems = log.runs.flatMap((x) => x.results ?? []).filter((x) => (x.level ?? 'warning') !== 'note' && x.level !== 'none');
    assert.deepEqual(problems.map((p) => `${p.level ?? 'warning'} ${p.ruleId}: ${(p.message.arguments ?? []).join(' | ')}`), []);
    // the runs hold what they should: every finding and the unparsable file
    for (const [label, s] of runs.slice(0, 4)) assert.equal(new Set(s.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri)).size, names.length, label);
  });

  it('writes %SRCROOT%-relative URIs under the current folder, absolute file URIs elsewhere, percent-encoded', () => {
    const proj = path.join(dir, 'proj');
    const under = lint([path.join(proj, 'src dir')], proj).runs[0]!;
    assert.equal(under.originalUriBaseIds['%SRCROOT%']!.uri, pathToFileURL(proj).href + '/');
    const uris = under.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation);
    const encoded = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+$/;
    assert.ok(uris.every((u) => u.uriBaseId === '%SRCROOT%' && !u.uri.startsWith('/') && encoded.test(u.uri)), JSON.stringify(uris));
    assert.ok(uris.some((u) => u.uri === 'src%20dir/with%20space.js'));
    assert.ok(uris.some((u) => u.uri === 'src%20dir/hash%231.ts'));
    assert.ok(uris.some((u) => u.uri === 'src%20dir/100%25.js'));
    const uni = uris.find((u) => u.uri.includes('na%C3%AFve'));
    assert.ok(uni, JSON.stringify(uris));
    assert.equal(fileURLToPath(new URL(uni.uri, under.originalUriBaseIds['%SRCROOT%']!.uri)), path.join(proj, 'src dir', 'naïve-ünïcödé-名前.js'));
    const away = lint([path.join(proj, 'src dir')], outside).runs[0]!;
    for (const res of away.results) {
      const loc = res.locations[0]!.physicalLocation.artifactLocation;
      assert.equal(loc.uriBaseId, undefined);
      assert.ok(loc.uri.startsWith('file:///'), loc.uri);
      assert.ok(fs.existsSync(fileURLToPath(loc.uri)), loc.uri);
    }
  });

  it('names every rule differently from its id, and carries fixes on fixable results', () => {
    const s = lint(['src dir/plain.js'], path.join(dir, 'proj')).runs[0]!;
    for (const rule of s.tool.driver.rules) {
      assert.notEqual(rule.name, rule.id);
      assert.match(rule.name, /^[A-Z][A-Za-z]+$/);
    }
    const missing = s.results.find((x) => x.ruleId === 'missing-www-authenticate');
    assert.match(missing?.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.insertedContent.text ?? '', /WWW-Authenticate/);
  });

  it('keeps partialFingerprints when lines shift', () => {
    const proj = path.join(dir, 'proj');
    const file = path.join(proj, 'src dir', 'plain.js');
    const before = lint([file], proj).runs[0]!.results;
    fs.writeFileSync(file, CODE('// a comment\n\n// and another\n'));
    const after = lint([file], proj).runs[0]!.results;
    fs.writeFileSync(file, CODE());
    assert.equal(after.length, before.length);
    assert.notDeepEqual(after.map((x) => x.locations[0]!.physicalLocation.region.startLine), before.map((x) => x.locations[0]!.physicalLocation.region.startLine));
    assert.deepEqual(after.map((x) => x.partialFingerprints), before.map((x) => x.partialFingerprints));
    assert.equal(new Set(before.map((x) => JSON.stringify(x.partialFingerprints))).size, before.length, 'distinct per result');
  });
});
