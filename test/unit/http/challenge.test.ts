import * as assert from 'node:assert/strict';
import { checkChallenges, getParam, parseChallenges } from '../../../src/http/challenge';

const codes = (value: string, opaque?: Array<[number, number]>): string[] =>
  checkChallenges(value, opaque).map((p) => p.code);

describe('challenge parser (RFC 9110 §11)', () => {
  it('parses the RFC 9110 §11.6.1 example with two challenges and an escaped quote', () => {
    const v = 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"';
    const { challenges, problems } = parseChallenges(v);
    assert.deepEqual(problems, []);
    assert.equal(challenges.length, 2);
    const [a, b] = challenges;
    assert.equal(a?.scheme, 'Newauth');
    assert.deepEqual(a?.params.map((p) => [p.name, p.value, p.quoted]), [
      ['realm', 'apps', true],
      ['type', '1', false],
      ['title', 'Login to "apps"', true],
    ]);
    assert.equal(b?.scheme, 'Basic');
    assert.equal(getParam(b!, 'REALM'), 'simple');
    assert.equal(v.slice(b!.start, b!.end), 'Basic realm="simple"');
    const title = a!.params[2]!;
    assert.equal(v.slice(title.start, title.end), 'title="Login to \\"apps\\""');
  });

  it('keeps commas inside quoted strings', () => {
    const { challenges, problems } = parseChallenges('Bearer realm="a, b", scope="read, write", error="invalid_token"');
    assert.deepEqual(problems, []);
    assert.equal(challenges.length, 1);
    assert.equal(getParam(challenges[0]!, 'realm'), 'a, b');
    assert.equal(getParam(challenges[0]!, 'scope'), 'read, write');
    assert.equal(getParam(challenges[0]!, 'error'), 'invalid_token');
  });

  it('reads token68 with padding, and tells it apart from a parameter', () => {
    const { challenges, problems } = parseChallenges('Negotiate YIIB+w/abc==, NTLM, Basic realm="x"');
    assert.deepEqual(problems, []);
    assert.deepEqual(challenges.map((c) => [c.scheme, c.token68]), [
      ['Negotiate', 'YIIB+w/abc=='],
      ['NTLM', undefined],
      ['Basic', undefined],
    ]);
    const single = parseChallenges('Custom abc=');
    assert.equal(single.challenges[0]?.token68, 'abc=');
    const param = parseChallenges('Custom abc=def');
    assert.equal(param.challenges[0]?.token68, undefined);
    assert.equal(getParam(param.challenges[0]!, 'abc'), 'def');
  });

  it('accepts bad whitespace around "=" and list whitespace', () => {
    const { challenges, problems } = parseChallenges('  Basic realm = "a" ,  charset =UTF-8  ');
    assert.deepEqual(problems, []);
    assert.equal(getParam(challenges[0]!, 'charset'), 'UTF-8');
  });

  it('accepts bare schemes, which are grammatical at the §11.3 level', () => {
    const { challenges, problems } = parseChallenges('Bearer, Basic realm="r"');
    assert.deepEqual(problems, []);
    assert.deepEqual(challenges.map((c) => c.scheme), ['Bearer', 'Basic']);
  });

  const syntaxCases: Array<[string, string]> = [
    ['', 'empty-value'],
    ['   ', 'empty-value'],
    ['Bearer realm="a",,error="invalid_token"', 'empty-element'],
    ['Bearer realm="a", ', 'empty-element'],
    [', Basic realm="a"', 'empty-element'],
    ['Basic realm="abc', 'unterminated-quote'],
    ['Basic realm="abc\\', 'unterminated-quote'],
    ['"Basic" realm="a"', 'bad-scheme'],
    ['Basic realm="a", =x', 'missing-param-name'],
    ['Custom abc==, x=1', 'token68-then-params'],
    ['realm="x"', 'param-without-scheme'],
    ['Bearer realm="a" error="invalid_token"', 'missing-comma'],
    ['Basic realm="a"; charset="UTF-8"', 'unexpected-char'],
    ['Basic x=1, realm=', 'missing-value'],
    ['Bearer resource_metadata=https://a.example/x', 'bad-param-value'],
    ['Bearer realm="a", error=Bad token', 'bad-param-value'],
    ['Basic realm="a\\b"', 'needless-escape'],
    ['Basic realm="a\u0001b"', 'bad-char-in-quote'],
    ['Custom a!b==', 'bad-token68'],
    ['Basic realm="a" x/y=1', 'bad-param-name'],
  ];
  for (const [value, code] of syntaxCases) {
    it(`reports ${code} for ${JSON.stringify(value)}`, () => {
      const { problems } = parseChallenges(value);
      assert.ok(problems.some((p) => p.code === code), JSON.stringify(problems));
      for (const p of problems) {
        assert.ok(p.start >= 0 && p.end <= value.length && p.start <= p.end, `range of ${p.code}`);
        assert.match(p.message, /RFC \d+ §/);
      }
    });
  }

  it('recovers after a missing comma and keeps the following parameter', () => {
    const { challenges } = parseChallenges('Bearer realm="a" error="invalid_token"');
    assert.equal(getParam(challenges[0]!, 'error'), 'invalid_token');
  });

  it('gives needless escapes the "should" level and grammar errors the "must" level', () => {
    const { problems } = parseChallenges('Basic realm="a\\b",,');
    assert.equal(problems.find((p) => p.code === 'needless-escape')?.level, 'should');
    assert.equal(problems.find((p) => p.code === 'empty-element')?.level, 'must');
  });

  it('never throws and stays linear on hostile input', () => {
    const inputs = ['"'.repeat(5000), '\\'.repeat(5000), '='.repeat(5000), ','.repeat(5000), 'a '.repeat(5000), 'a="'.repeat(3000), 'Basic ' + 'x=1,'.repeat(5000)];
    for (const s of inputs) {
      const r = parseChallenges(s);
      assert.ok(Array.isArray(r.problems));
      checkChallenges(s);
    }
  });
});

describe('checkChallenges scheme rules', () => {
  const ruleCases: Array<[string, string, string]> = [
    ['Basic', 'basic-no-realm', 'must'],
    ['Basic charset="UTF-8"', 'basic-no-realm', 'must'],
    ['Basic realm=', 'basic-no-realm', 'must'],
    ['Basic realm="a", charset="latin1"', 'basic-bad-charset', 'must'],
    ['Basic realm=api', 'realm-not-quoted', 'must'],
    ['Bearer realm="a", realm="b"', 'repeated-param', 'must'],
    ['Bearer realm="a", Scope="x", scope="y"', 'repeated-param', 'must'],
    ['Bearer', 'bearer-no-params', 'must'],
    ['Bearer abc', 'bearer-no-params', 'must'],
    ['Bearer error="invalid_token", error_description="bad \\"x\\""', 'bearer-error-bad-char', 'must'],
    ['Bearer error="a\\\\b"', 'bearer-error-bad-char', 'must'],
    ['Bearer realm="api", error="Bad token"', 'bearer-error-not-token', 'should'],
    ['Digest nonce="n", qop="auth"', 'digest-no-realm', 'must'],
    ['Digest realm="r", qop="auth"', 'digest-no-nonce', 'must'],
    ['Digest realm="r", nonce="n"', 'digest-no-qop', 'must'],
    ['Digest realm="r", nonce="n", qop="auth", algorithm="MD5"', 'digest-param-quoted', 'must'],
    ['Digest realm="r", nonce="n", qop="auth", stale="true"', 'digest-param-quoted', 'must'],
    ['Digest realm="r", nonce=abc, qop="auth"', 'digest-param-unquoted', 'must'],
    ['Digest realm="r", nonce="n", qop=auth', 'digest-param-unquoted', 'must'],
    ['Basic realm="a", Bearer realm="b"', 'several-challenges', 'info'],
  ];
  for (const [value, code, level] of ruleCases) {
    it(`reports ${code} (${level}) for ${JSON.stringify(value)}`, () => {
      const problems = checkChallenges(value);
      const p = problems.find((x) => x.code === code);
      assert.ok(p, JSON.stringify(problems));
      assert.equal(p.level, level);
      assert.match(p.message, /RFC \d+ §/);
    });
  }

  const clean = [
    'Basic realm="simple"',
    'Basic realm="simple", charset="utf-8"',
    'Bearer realm="example"',
    'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
    'Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"',
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", stale=false',
    'Negotiate',
    'NTLM',
    'Token realm="x"',
    'DPoP algs="ES256 PS256"',
  ];
  for (const value of clean) {
    it(`reports nothing for ${JSON.stringify(value)}`, () => {
      assert.deepEqual(checkChallenges(value), []);
    });
  }

  it('reports the repeated parameter at the second occurrence', () => {
    const v = 'Bearer realm="a", realm="b"';
    const p = checkChallenges(v).find((x) => x.code === 'repeated-param');
    assert.equal(v.slice(p!.start, p!.end), 'realm="b"');
    assert.equal(p!.param, 'realm');
  });

  it('applies rules to every challenge on the line', () => {
    assert.deepEqual(codes('Basic, Bearer').sort(), ['basic-no-realm', 'bearer-no-params', 'several-challenges']);
  });
});

describe('checkChallenges with opaque ranges (template holes)', () => {
  const hole = (v: string, text: string): [number, number] => {
    const s = v.indexOf(text);
    return [s, s + text.length];
  };

  it('treats a hole inside quotes as quoted content', () => {
    const v = 'Basic realm="${realm}"';
    assert.deepEqual(codes(v, [hole(v, '${realm}')]), []);
  });

  it('does not call an unquoted hole an unquoted realm', () => {
    const v = 'Basic realm=${realm}';
    assert.deepEqual(codes(v, [hole(v, '${realm}')]), []);
    assert.deepEqual(codes('Basic realm=abc'), ['realm-not-quoted']);
  });

  it('does not report a missing realm when a hole could hold the parameters', () => {
    const v = 'Basic ${params}';
    assert.deepEqual(codes(v, [hole(v, '${params}')]), []);
    const w = 'Bearer ${rest}';
    assert.deepEqual(codes(w, [hole(w, '${rest}')]), []);
    const d = 'Digest realm="r", ${more}';
    assert.deepEqual(codes(d, [hole(d, '${more}')]), []);
  });

  it('still reports a missing realm when the only hole is inside another value', () => {
    const v = 'Basic charset="${cs}"';
    assert.deepEqual(codes(v, [hole(v, '${cs}')]), ['basic-no-realm']);
  });

  it('skips scheme rules when the scheme itself is a hole', () => {
    const v = '${scheme} realm=x';
    assert.deepEqual(codes(v, [hole(v, '${scheme}')]), []);
  });

  it('keeps reporting static problems, at positions in the original string', () => {
    const v = 'Bearer realm="${r}", realm="b"';
    const ps = checkChallenges(v, [hole(v, '${r}')]);
    assert.deepEqual(ps.map((p) => p.code), ['repeated-param']);
    assert.equal(v.slice(ps[0]!.start, ps[0]!.end), 'realm="b"');
    const q = 'Digest realm="${r}", nonce="${n}", qop="auth", algorithm="${a}"';
    assert.deepEqual(codes(q, [hole(q, '${r}'), hole(q, '${n}'), hole(q, '${a}')]), ['digest-param-quoted']);
  });

  it('does not report syntax problems that touch a hole', () => {
    const v = 'Bearer realm="a"${extra}';
    assert.deepEqual(codes(v, [hole(v, '${extra}')]), []);
    assert.deepEqual(codes('Bearer realm="a"xyz').filter((c) => c !== 'several-challenges'), ['missing-comma']);
  });

  it('handles empty holes and holes with characters that would otherwise break the syntax', () => {
    const v = 'Bearer error="${"a,b"}"';
    assert.deepEqual(codes(v, [hole(v, '${"a,b"}')]), []);
    assert.deepEqual(codes('Basic realm=""', [[13, 13]]), []);
  });

  it('does not judge a Bearer error whose value is a hole', () => {
    const v = 'Bearer realm="a", error="${code}"';
    assert.deepEqual(codes(v, [hole(v, '${code}')]), []);
  });
});
