// Differential test against httpYac's CLI (devDependency, pinned): our own .http fixture holding
// the shapes found in real files (docs/compatibility.md) is sent by `authlint send` and by
// `httpyac send --all` to one echo server on 127.0.0.1. Every request must be sent by us, as REST
// Client would send it; where httpYac differs, the difference must be exactly the one recorded
// with its verdict in docs/compatibility.md.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EchoServer, differential, type RequestOutcome } from './differential-support';
import { fixture } from './runner-support';

/** Line of each request in shapes.http -> what httpYac does, per docs/compatibility.md. */
const EXPECTED: Record<number, 'same' | 'theirs not sent' | ((o: RequestOutcome) => void)> = {
  9: 'same', // sign in
  15: 'theirs not sent', // {{signin.response.body.access_token}}: httpYac evaluates it as JavaScript (theirs wrong)
  19: 'theirs not sent', // @token = {{signin.response...}}: same cause
  23: 'theirs not sent', // nested path: same cause
  26: 'theirs not sent', // {{$shared tokenReader}} in the environment: httpYac has no $shared (theirs wrong)
  30: 'same', // form body: httpYac encodes like encodeurl too
  39: (o) => {
    // multipart with a missing file: httpYac drops the `<` line and the closing CRLF (theirs wrong)
    assert.deepEqual(o.differences, [
      `body: ours ${JSON.stringify(o.ours!.body)}, theirs ${JSON.stringify(o.theirs!.body)}`,
    ]);
    assert.ok(o.ours!.body.endsWith('< ./beach-photo-not-here.png\r\n------Boundary42--\r\n'));
    assert.ok(!o.theirs!.body.includes('beach-photo-not-here'));
  },
  54: 'same', // GRAPHQL
  62: 'same', // indented URL lines
  70: (o) => {
    // {{$uuid}}: REST Client and AuthLint send the text as typed (we warn in the report);
    // httpYac fills in a UUID, as JetBrains does (both acceptable).
    assert.equal(o.ours!.body, '{"id": "{{$uuid}}"}');
    assert.equal(o.differences.length, 1);
    assert.match(o.theirs!.body, /^\{"id": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\}$/);
  },
  // {{$date}}: REST Client and AuthLint send the text as typed; httpYac refuses it (both acceptable).
  76: 'theirs not sent',
};

describe('differential: authlint send vs httpYac on the shapes of real .http files', function () {
  this.timeout(120_000);
  const echo = new EchoServer();
  let work = '';
  let outcomes: RequestOutcome[] = [];

  before(async () => {
    await echo.start();
    work = mkdtempSync(join(tmpdir(), 'authlint-diff-test-'));
    const env = JSON.parse(readFileSync(fixture('differential', 'env.json'), 'utf8')) as Record<string, Record<string, string>>;
    outcomes = await differential(echo, readFileSync(fixture('differential', 'shapes.http'), 'utf8'), 'shapes.http', work, env);
  });

  after(async () => {
    await echo.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds every request of the fixture', () => {
    assert.deepEqual(outcomes.map((o) => o.line), Object.keys(EXPECTED).map(Number));
  });

  it('authlint sends every request (none refused)', () => {
    for (const o of outcomes) assert.ok(o.ours, `line ${o.line} refused: ${o.oursRefused}`);
  });

  it('each difference with httpYac is the recorded one', () => {
    for (const o of outcomes) {
      const want = EXPECTED[o.line]!;
      if (want === 'same') assert.deepEqual({ line: o.line, theirs: !!o.theirs, d: o.differences }, { line: o.line, theirs: true, d: [] });
      else if (want === 'theirs not sent') assert.equal(o.theirs, undefined, `line ${o.line}: httpYac sent it after all`);
      else {
        assert.ok(o.theirs, `line ${o.line}: httpYac did not send it`);
        want(o);
      }
    }
  });

  it('what arrived from us is what REST Client sends for these shapes', () => {
    const at = (line: number) => outcomes.find((o) => o.line === line)!.ours!;
    const auth = (line: number) => at(line).headers.find(([k]) => k === 'authorization')?.[1];
    assert.equal(auth(15), 'Bearer tok-access');
    assert.equal(auth(19), 'Bearer tok-access');
    assert.equal(at(23).query, '?a=tok-data&b=tok-data');
    assert.equal(auth(26), 'Bearer reader-token-from-shared');
    assert.equal(at(30).body, 'grant_type=urn:ietf:params:oauth:grant-type:token-exchange&username=jdoe@example.com&password=p+q&note=x%20y%20z');
    assert.equal(at(54).method, 'POST');
    assert.deepEqual(JSON.parse(at(54).body), { query: 'query Project($id: ID!) { project(id: $id) { name } }', operationName: 'Project', variables: { id: 'p-1' } });
    assert.equal(`${at(62).path}${at(62).query}`, '/api/projects?page=2&size=10');
    assert.equal(at(76).query, '?day={{$date}}');
  });
});
