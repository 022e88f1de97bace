// Golden tests: every folder of test/fixtures/exchanges holds a real `curl -si` capture
// (response.txt), optionally the request (request.txt), and report.json, the expected
// `authlint explain --format json`. Compared strictly: diagnosis code, severity, refs and the
// status. UPDATE_GOLDENS=1 rewrites report.json (never when CI=true).

import * as assert from 'node:assert/strict';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExplain } from '../../../src/cli/explain';
import { detectors } from '../../../src/http/explain';
import type { Report } from '../../../src/http/types';
import { Collect, exchangesDir } from './explain-support';

const update = process.env.UPDATE_GOLDENS === '1' && process.env.CI !== 'true';

function cases(): string[] {
  return readdirSync(exchangesDir()).filter((n) => statSync(join(exchangesDir(), n)).isDirectory()).sort();
}

async function explainCase(dir: string): Promise<{ code: number; report: Report; stderr: string }> {
  const args = ['--format', 'json'];
  if (existsSync(join(dir, 'request.txt'))) args.push('--request', join(dir, 'request.txt'));
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runExplain(args, { stdin: createReadStream(join(dir, 'response.txt')), stdout, stderr });
  return { code, report: JSON.parse(stdout.text) as Report, stderr: stderr.text };
}

const strict = (r: Report): unknown => ({
  status: r.response?.status,
  diagnosis: r.diagnosis.map((d) => ({ code: d.code, severity: d.severity, refs: d.refs })),
});

describe('explain goldens (test/fixtures/exchanges)', () => {
  const names = cases();

  it('has at least one case per diagnosis code whose folder is named after it', () => {
    for (const d of detectors) assert.ok(names.some((n) => n === d.code || n.startsWith(`${d.code}-`)), `no golden case for ${d.code}`);
  });

  for (const name of names) {
    it(`explains ${name} as report.json says`, async () => {
      const dir = join(exchangesDir(), name);
      const { code, report, stderr } = await explainCase(dir);
      assert.equal(code, 0, stderr);
      const goldenPath = join(dir, 'report.json');
      if (update) writeFileSync(goldenPath, `${JSON.stringify(report, null, 2)}\n`);
      assert.ok(existsSync(goldenPath), `missing ${goldenPath}: run with UPDATE_GOLDENS=1`);
      const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Report;
      assert.deepEqual(strict(report), strict(golden));
      const base = detectors.find((d) => name === d.code || name.startsWith(`${d.code}-`));
      if (base) assert.ok(report.diagnosis.some((d) => d.code === base.code), `${name} should produce ${base.code}`);
    });
  }
});
