// Keeps the registry, the detector files, docs/diagnoses.md and the contract's code list equal.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectors } from '../../../src/http/explain';
import { repoRoot } from './explain-support';

/** The diagnosis codes of the public contract, in its order. */
const CONTRACT = [
  'no-credentials', 'challenge-missing', 'challenge-malformed', 'scheme-mismatch', 'credentials-malformed',
  'credentials-rejected', 'token-expired', 'token-not-yet-valid', 'invalid-token', 'invalid-request',
  'insufficient-scope', 'forbidden', 'forbidden-without-credentials', 'proxy-auth-required',
  'credentials-dropped-on-redirect', 'login-redirect', 'digest-stale', 'resource-metadata', 'session-expired',
  'token-request-failed',
];
const sorted = (a: string[]): string[] => [...a].sort();

describe('diagnosis codes stay in step', () => {
  const registry = detectors.map((d) => d.code);

  it('registry equals the contract list, without duplicates', () => {
    assert.deepEqual(sorted(registry), sorted(CONTRACT));
    assert.equal(new Set(registry).size, registry.length);
  });

  it('one file per code in src/http/explain/', () => {
    const files = readdirSync(join(repoRoot(), 'src', 'http', 'explain')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3));
    assert.deepEqual(sorted(files), sorted(CONTRACT));
  });

  it('one "## <code>" section per code in docs/diagnoses.md, in the registry\'s words', () => {
    const doc = readFileSync(join(repoRoot(), 'docs', 'diagnoses.md'), 'utf8');
    const sections = [...doc.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1] ?? '');
    assert.deepEqual(sorted(sections), sorted(CONTRACT));
    for (const d of detectors) {
      const body = doc.split(`## ${d.code}\n`)[1]?.split('\n## ')[0] ?? '';
      for (const part of ['**When**', '**What it means**', '**What to do**', '**References**']) assert.ok(body.includes(part), `${d.code}: ${part}`);
      for (const ref of d.refs) {
        const [, rfc, sec] = /^RFC (\d+) (§[\d.]+)$/.exec(ref) ?? [];
        assert.ok(rfc && body.includes(`RFC ${rfc}`) && body.includes(sec ?? '?'), `${d.code}: docs should cite ${ref}`);
      }
    }
  });

  it('every detector has a title and RFC references', () => {
    for (const d of detectors) {
      assert.ok(d.title.length > 5, d.code);
      assert.ok(d.refs.length > 0 && d.refs.every((r) => /^RFC \d+ §[\d.]+$/.test(r)), d.code);
    }
  });
});
