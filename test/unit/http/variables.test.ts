import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { buildRequest } from '../../../src/http/request-build';
import { environmentNames, loadDotenv, loadEnvironmentSources, parseDotenv, parseJsonc, selectEnvironment } from '../../../src/http/environments';
import { queryJsonPath } from '../../../src/http/jsonpath';
import { formatDate } from '../../../src/http/system-variables';
import { Substituter, type VariableSources } from '../../../src/http/variables';
import { fixture } from './runner-support';

function sub(text: string, src: Partial<VariableSources> = {}) {
  const s = new Substituter({ fileVariables: new Map(), ...src });
  return { text: s.substitute(text, 7), problems: s.problems, secrets: s.secretValues };
}

const fileVars = (o: Record<string, string>) => new Map(Object.entries(o).map(([name, value], i) => [name, { name, value, line: i + 1 }]));
const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));

describe('variables: {{ }} substitution', () => {
  it('resolves nested file variables and percent-encodes {{%name}}', () => {
    const r = sub('{{greeting}} / {{%q}}', { fileVariables: fileVars({ user: 'al ice', greeting: 'hi {{user}}', q: 'a b&c' }) });
    assert.equal(r.text, 'hi al ice / a%20b%26c');
    assert.deepEqual(r.problems, []);
  });

  it('reports an undefined name with its line and keeps it literal', () => {
    const r = sub('Bearer {{ token }}');
    assert.equal(r.text, 'Bearer {{ token }}');
    assert.deepEqual(r.problems.map((p) => [p.line, p.name, p.kind]), [[7, 'token', 'unresolved']]);
  });

  it('reports a self-referencing variable instead of looping', () => {
    const r = sub('{{a}}', { fileVariables: fileVars({ a: 'x{{b}}', b: '{{a}}' }) });
    assert.ok(r.problems.some((p) => /refers to itself/.test(p.message)));
  });

  it('computes system variables: $timestamp (seconds, with offset), $datetime, $randomInt, $guid', () => {
    assert.equal(sub('{{$timestamp}}', { now: NOW }).text, String(Math.floor(NOW.getTime() / 1000)));
    assert.equal(sub('{{$timestamp -1 d}}', { now: NOW }).text, String(Math.floor(NOW.getTime() / 1000) - 86400));
    assert.equal(sub('{{$datetime iso8601}}', { now: NOW }).text, '2026-01-02T03:04:05.006Z');
    assert.equal(sub('{{$datetime rfc1123 1 h}}', { now: NOW }).text, 'Fri, 02 Jan 2026 04:04:05 GMT');
    assert.equal(sub('{{$datetime "YYYY-MM-DD[T]HH:mm"}}', { now: NOW }).text, '2026-01-02T03:04');
    const n = Number(sub('{{$randomInt 5 7}}').text);
    assert.ok(n === 5 || n === 6);
    assert.match(sub('{{$guid}}').text, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(formatDate(NOW, 'ddd, DD MMM YYYY HH:mm:ss ZZ', true), 'Fri, 02 Jan 2026 03:04:05 +0000');
  });

  it('reads $processEnv and $dotenv, with % indirection through the environment', () => {
    const env = { name: 'dev', values: { which: 'REAL_NAME' }, shared: {}, secretNames: new Set<string>() };
    assert.equal(sub('{{$processEnv HOME_X}}', { processEnv: { HOME_X: '/h' } }).text, '/h');
    assert.equal(sub('{{$processEnv %which}}', { processEnv: { REAL_NAME: 'v' }, environment: env }).text, 'v');
    assert.equal(sub('{{$dotenv K}}', { dotenv: { K: 'dv' } }).text, 'dv');
    assert.equal(sub('{{$dotenv NOPE}}', { dotenv: {} }).problems[0]!.kind, 'invalid');
  });

  it('reports $aadToken and $oidcAccessToken as unsupported', () => {
    assert.equal(sub('{{$aadToken}}').problems[0]!.kind, 'unsupported');
    assert.match(sub('{{$oidcAccessToken}}').problems[0]!.message, /not supported by AuthLint/);
  });

  it('reads request variables: JSONPath in JSON bodies, headers case-insensitively, * for the whole body', () => {
    const requests = new Map([
      ['login', {
        request: { method: 'POST', url: 'http://h/login', headers: [['X-Req', 'r1']] as Array<[string, string]>, body: 'user=a' },
        response: { status: 200, statusText: 'OK', headers: [['X-Auth', 'tok']] as Array<[string, string]>, bodyBytes: 0, elapsedMs: 0, redirects: [], body: '{"data":{"token":"T","list":[1,{"id":9}]}}' },
      }],
    ]);
    assert.equal(sub('{{login.response.body.$.data.token}}', { requests }).text, 'T');
    assert.equal(sub('{{login.response.body.$.data.list[1].id}}', { requests }).text, '9');
    assert.equal(sub('{{login.response.body.$..id}}', { requests }).text, '9');
    assert.equal(sub('{{login.response.headers.x-auth}}', { requests }).text, 'tok');
    assert.equal(sub('{{login.request.headers.X-REQ}}', { requests }).text, 'r1');
    assert.equal(sub('{{login.request.body.*}}', { requests }).text, 'user=a');
    assert.equal(sub('{{login.response.body.$.nope}}', { requests }).problems[0]!.kind, 'unresolved');
    assert.equal(sub("{{login.response.body.//token}}", { requests }).problems[0]!.kind, "invalid");
    assert.equal(sub('{{other.response.body.*}}', { requests }).problems[0]!.requestName, 'other');
  });

  it('JSONPath subset: brackets, negative index, wildcard', () => {
    const doc = { a: { 'b c': [1, 2, 3] }, xs: [{ v: 1 }, { v: 2 }] };
    assert.deepEqual(queryJsonPath(doc, "$.a['b c'][-1]"), [3]);
    assert.deepEqual(queryJsonPath(doc, '$.xs[*].v'), [1, 2]);
    assert.equal(queryJsonPath(doc, '$.a[?(@.x)]'), undefined);
  });
});

describe('environments: REST Client settings, http-client(.private).env.json, .env', () => {
  const dir = fixture('env');

  it('merges $shared and the selected environment; private values are secret', () => {
    const src = loadEnvironmentSources(dir);
    assert.deepEqual(environmentNames(src), ['dev', 'prod']);
    const env = selectEnvironment(src, 'dev');
    assert.equal(env.values['apiKey'], 'private-key-123');
    assert.equal(env.shared['region'], 'eu');
    assert.ok(env.secretNames.has('apiKey'));
    assert.ok(!env.secretNames.has('baseUrl'));
  });

  it('resolves a whole request from the env files, .env.<env> first, and records secret values', () => {
    const text = readFileSync(fixture('env', 'requests.http'), 'utf8');
    const f = parseHttpFile(text);
    const src = loadEnvironmentSources(dir);
    const r = buildRequest(requestBlocks(f)[0]!, {
      fileVariables: f.fileVariables,
      environment: selectEnvironment(src, 'prod'),
      dotenv: loadDotenv(dir, 'prod')!,
      processEnv: { AUTHLINT_TEST_VAR: 'pv' },
    }, { baseDir: dir });
    assert.deepEqual(r.diagnoses, []);
    assert.equal(r.request!.url, 'https://api.example.com/items?key=prod-key-456&shared=eu');
    assert.deepEqual(r.request!.headers.slice(0, 2), [['X-Dot', 'from-dotenv-prod'], ['X-Proc', 'pv']]);
    // The private env value, and what $dotenv and $processEnv read (kept out of the file: secret).
    assert.deepEqual([...r.secretValues], ['prod-key-456', 'from-dotenv-prod', 'pv']);
  });

  it('REST Client environments: selected beats $shared, {{$shared x}} inside values', () => {
    const env = selectEnvironment({ restClient: { $shared: { host: 'shared', ver: 'v1' }, local: { host: 'local', path: '/{{$shared ver}}' } } }, 'local');
    const r = sub('{{host}}{{path}}', { environment: env });
    assert.equal(r.text, 'local/v1');
  });

  it('parses .env and JSONC settings', () => {
    assert.deepEqual(parseDotenv('# c\nexport A=1\nB="two words"\nC=x # note\n'), { A: '1', B: 'two words', C: 'x' });
    assert.deepEqual(parseJsonc('{ // c\n "a": "http://x", /* b */ "b": [1,],\n}'), { a: 'http://x', b: [1] });
  });
});
