// Property tests (fast-check, fixed seeds) for the challenge and credentials parsers: any input
// is handled without an exception or a hang, problem ranges stay inside the input, and a
// well-formed challenge list or credential printed by the rules of RFC 9110 / 7617 / 6750
// parses back to what was printed.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkChallenges, parseChallenges } from '../../../src/http/challenge';
import { describeCredentials, parseCredentials, requestCredentials } from '../../../src/http/credentials';
import { noHang } from './support';

const TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('');
const T68 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/'.split('');
const token = fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 12 });
const token68 = fc.tuple(fc.string({ unit: fc.constantFrom(...T68), minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2 })).map(([s, pad]) => s + '='.repeat(pad));
/** Quoted-string content: printable ASCII, tab and non-ASCII text, no controls. */
const qtext = fc.string({ unit: fc.oneof(fc.constantFrom(...' \t"\\,=;'.split('')), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 30 }).filter((s) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s));

type Param = { name: string; value: string; quoted: boolean };
type Ch = { scheme: string; token68?: string; params: Param[] };

const param: fc.Arbitrary<Param> = fc.oneof(
  fc.record({ name: token, value: token, quoted: fc.constant(false) }),
  fc.record({ name: token, value: qtext, quoted: fc.constant(true) }),
);
const challenge: fc.Arbitrary<Ch> = fc.oneof(
  fc.record({ scheme: token, params: fc.array(param, { maxLength: 5 }) }),
  fc.record({ scheme: token, token68, params: fc.constant([] as Param[]) }),
);

function printParam(p: Param): string {
  return `${p.name}=${p.quoted ? `"${p.value.replace(/["\\]/g, (c) => `\\${c}`)}"` : p.value}`;
}
function printChallenge(c: Ch): string {
  if (c.token68 !== undefined) return `${c.scheme} ${c.token68}`;
  return c.params.length === 0 ? c.scheme : `${c.scheme} ${c.params.map(printParam).join(', ')}`;
}

/** Hostile strings: arbitrary code units, plus long runs of the characters the parser branches on. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...'"\\=, \t;Basic realm Bearer error'.split(' ').concat(['"', '\\', '=', ',', ' ', '\t', '\u0000', '\u007f', 'é', '\u202e'])), maxLength: 400 }),
  fc.tuple(fc.constantFrom('"', '\\', ',', '=', ' ', 'a=', 'a="', 'Basic ', '\\"'), fc.integer({ min: 1, max: 50_000 })).map(([s, n]) => s.repeat(n)),
);

describe('hardening: challenge parser properties', () => {
  it('parses any input without throwing or hanging; every problem range lies inside the input', () => {
    fc.assert(
      fc.property(hostile, fc.option(fc.tuple(fc.nat(), fc.nat())), (s, hole) => {
        const ends = hole ? [hole[0] % (s.length + 1), hole[1] % (s.length + 1)].sort((x, y) => x - y) : [];
        const holes: Array<[number, number]> = hole ? [[ends[0]!, ends[1]!]] : [];
        const parsed = noHang('parseChallenges', () => parseChallenges(s));
        const checked = noHang('checkChallenges', () => checkChallenges(s, holes));
        for (const p of [...parsed.problems, ...checked]) {
          assert.ok(p.start >= 0 && p.start <= p.end && p.end <= s.length, `${p.code} ${p.start}-${p.end} in ${s.length}`);
          assert.ok(p.message.length > 0);
        }
        for (const c of parsed.challenges) {
          assert.ok(c.start >= 0 && c.start <= c.end && c.end <= s.length);
          for (const p of c.params) assert.equal(s.slice(p.start, p.start + p.name.length), p.name);
        }
      }),
      { seed: 61_1, numRuns: 600 },
    );
  });

  it('round-trips a printed list of well-formed challenges: schemes, token68 and parameters', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), (list) => {
        const value = list.map(printChallenge).join(', ');
        const { challenges, problems } = parseChallenges(value);
        assert.deepEqual(problems, [], value);
        assert.deepEqual(
          challenges.map((c) => ({ scheme: c.scheme, ...(c.token68 !== undefined ? { token68: c.token68 } : {}), params: c.params.map((p) => ({ name: p.name, value: p.value, quoted: p.quoted })) })),
          JSON.parse(JSON.stringify(list)),
          value,
        );
      }),
      { seed: 61_2, numRuns: 1500 },
    );
  });

  it('stays linear on long adversarial values (200k characters)', () => {
    for (const s of ['"'.repeat(200_000), '\\'.repeat(200_000), ', '.repeat(100_000), 'a=b '.repeat(50_000), `Basic realm="${'\\"'.repeat(100_000)}`, 'x '.repeat(100_000) + '=']) {
      noHang(`checkChallenges(${JSON.stringify(s.slice(0, 8))}...)`, () => checkChallenges(s));
    }
  });
});

describe('hardening: credentials parser properties', () => {
  it('parses any Authorization value and any request without throwing or hanging', () => {
    fc.assert(
      fc.property(hostile, fc.string({ maxLength: 60 }), (v, url) => {
        const c = noHang('parseCredentials', () => parseCredentials(v));
        for (const i of c.issues) assert.ok(i.code.length > 0 && i.message.length > 0);
        const rc = noHang('requestCredentials', () => requestCredentials({ method: 'GET', url, headers: [['Authorization', v], ['Cookie', v], ['Proxy-Authorization', v], ['X-Api-Key', v]] }));
        describeCredentials(rc);
      }),
      { seed: 61_3, numRuns: 400 },
    );
  });

  it('round-trips Basic user:password through base64, and never describes the password', () => {
    const user = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes(':') && !s.includes('\uFFFD'));
    const password = fc.string({ unit: 'grapheme', maxLength: 24 }).filter((s) => !s.includes('\uFFFD'));
    fc.assert(
      fc.property(user, password, (u, p) => {
        const b64 = Buffer.from(`${u}:${p}`, 'utf8').toString('base64');
        const c = parseCredentials(`Basic ${b64}`);
        assert.deepEqual(c.issues, []);
        assert.deepEqual(c.basic, { user: u, password: p });
        const said = describeCredentials(requestCredentials({ method: 'GET', url: 'https://a.example/', headers: [['Authorization', `Basic ${b64}`]] })).join(' ');
        if (p.length >= 6 && !u.includes(p) && !'Authorization: Basic (user "")'.includes(p)) assert.ok(!said.includes(p), said);
      }),
      { seed: 61_4, numRuns: 500 },
    );
  });

  it('round-trips any b64token as a Bearer token with no issue', () => {
    const b64token = fc.tuple(fc.string({ unit: fc.constantFrom(...T68), minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 2 })).map(([s, n]) => s + '='.repeat(n));
    fc.assert(
      fc.property(b64token.filter((t) => !/^(undefined|null|none|nil|bearer|dpop)$/i.test(t)), (t) => {
        const c = parseCredentials(`Bearer ${t}`);
        assert.equal(c.scheme, 'Bearer');
        assert.equal(c.token, t);
        assert.deepEqual(c.issues, []);
      }),
      { seed: 61_5, numRuns: 500 },
    );
  });
});
