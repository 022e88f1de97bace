// REST Client fidelity on shapes found in real .http files (issue 13). Each expectation is what
// REST Client 0.26 does, read in its source: the request-variable resolver (JSONPath library
// called with the path as typed, XPath only for XML bodies), the environment provider
// (`{{$shared name}}` inside an environment value reads `$shared`), the form encoding (the
// `encodeurl` package: reserved characters and `%XX` escapes kept), the body-file stream
// (a `< file` line kept when the file is missing, a closing CRLF for multipart) and the
// variable processor (an unknown `{{$name}}` is sent as typed).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { EOL } from 'node:os';
import { selectEnvironment } from '../../../src/http/environments';
import { buildReport } from '../../../src/http/explain';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { queryJsonPath } from '../../../src/http/jsonpath';
import { buildRequest, encodeForm } from '../../../src/http/request-build';
import { pickBlock, prepareRun, sendBlock } from '../../../src/http/run';
import { Substituter, type NamedExchange, type VariableSources } from '../../../src/http/variables';
import { close, fixture, listen } from './runner-support';

function build(text: string, extra: Partial<VariableSources> = {}, n = 0) {
  const f = parseHttpFile(text);
  return buildRequest(requestBlocks(f)[n]!, { fileVariables: f.fileVariables, ...extra }, { baseDir: fixture() });
}

function exchange(body: string, contentType = 'application/json'): NamedExchange {
  return {
    request: { method: 'POST', url: 'http://h/login', headers: [] },
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', contentType]], bodyBytes: body.length, elapsedMs: 0, redirects: [], body },
  };
}

function sub(text: string, src: Partial<VariableSources>) {
  const s = new Substituter({ fileVariables: new Map(), ...src });
  return { text: s.substitute(text, 1), problems: s.problems, warnings: s.warnings };
}

describe('REST Client fidelity: response paths without $', () => {
  const requests = new Map([
    ['login', exchange('{"access_token":"AT","data":{"token":"DT","items":[{"id":7},{"id":8}]},"$id":"dollar"}')],
    ['list', exchange('[{"id":"first"},{"id":"second"}]')],
    ['xml', exchange('<r><token>x</token></r>', 'application/xml; charset=utf-8')],
  ]);

  it('reads body.access_token and body.data.token from the root, as with a leading $', () => {
    assert.equal(sub('{{login.response.body.access_token}}', { requests }).text, 'AT');
    assert.equal(sub('{{login.response.body.data.token}}', { requests }).text, 'DT');
    assert.equal(sub('{{login.response.body.$.data.token}}', { requests }).text, 'DT');
    assert.equal(sub('{{login.response.body.data.items[1].id}}', { requests }).text, '8');
    assert.equal(sub('{{login.response.body.data.items.0.id}}', { requests }).text, '7');
    assert.equal(sub('{{list.response.body.[0].id}}', { requests }).text, 'first');
    assert.equal(sub('{{login.response.body.$id}}', { requests }).text, 'dollar');
    assert.equal(sub('{{login.response.body.data}}', { requests }).text, '{"token":"DT","items":[{"id":7},{"id":8}]}');
  });

  it('the same paths at the JSONPath level', () => {
    const doc = { a: { b: [1, 2] } };
    assert.deepEqual(queryJsonPath(doc, 'a.b'), [[1, 2]]);
    assert.deepEqual(queryJsonPath(doc, 'a.b[-1]'), [2]);
    assert.deepEqual(queryJsonPath(doc, '..b'), [[1, 2]]);
    assert.deepEqual(queryJsonPath(doc, 'a.nope'), []);
  });

  it('mentions XPath only for an XML body; a JSON body gets a JSONPath message', () => {
    const x = sub('{{xml.response.body.//token}}', { requests }).problems[0]!;
    assert.equal(x.kind, 'unsupported');
    assert.match(x.message, /is XML \(application\/xml\): XPath like "\/\/token" is not supported/);
    const j = sub('{{login.response.body.data.(x)}}', { requests }).problems[0]!;
    assert.equal(j.kind, 'invalid');
    assert.doesNotMatch(j.message, /XPath/);
    assert.match(sub('{{login.response.body.missing}}', { requests }).problems[0]!.message, /missing matches nothing/);
  });
});

describe('REST Client fidelity: {{$shared name}} under the same name', () => {
  it('an environment value "{{$shared tokenReader}}" named tokenReader reads $shared', () => {
    const env = selectEnvironment({ restClient: { $shared: { tokenReader: 'shared-token', host: 'h' }, dev: { tokenReader: '{{$shared tokenReader}}', url: 'http://{{$shared host}}/x' } } }, 'dev');
    const r = sub('Bearer {{tokenReader}} {{url}}', { environment: env });
    assert.deepEqual(r.problems, []);
    assert.equal(r.text, 'Bearer shared-token http://h/x');
  });

  it('a real self-reference is still reported', () => {
    const env = selectEnvironment({ restClient: { $shared: { loop: '{{loop}}' }, dev: { a: '{{a}}' } } }, 'dev');
    assert.match(sub('{{a}}', { environment: env }).problems[0]!.message, /refers to itself/);
    assert.match(sub('{{$shared loop}}', { environment: env }).problems[0]!.message, /cannot be resolved|refers to itself/);
  });
});

describe('REST Client fidelity: form bodies encoded like encodeurl', () => {
  const form = (body: string): string => build(`POST http://h/token\nContent-Type: application/x-www-form-urlencoded\n\n${body}`).request!.body!.toString();

  it('keeps reserved characters and existing escapes, escapes what may not appear', () => {
    assert.equal(form('username=jdoe@example.com&password=p+q'), 'username=jdoe@example.com&password=p+q');
    assert.equal(form('grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&scope=a/b?c'), 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&scope=a/b?c');
    assert.equal(form('a=x%20y z'), 'a=x%20y%20z');
    assert.equal(form('q="<{x|y}>"&r=a\\b^c`d'), 'q=%22%3C%7Bx%7Cy%7D%3E%22&r=a%5Cb%5Ec%60d');
    assert.equal(form('pct=100%&bad=%zz&ok=%2B'), 'pct=100%25&bad=%25zz&ok=%2B');
    assert.equal(form("keep=!$'()*,;=#~[]"), "keep=!$'()*,;=#~[]");
    assert.equal(form('name=Zoë 🙂'), 'name=Zo%C3%AB%20%F0%9F%99%82');
  });

  it('& lines join bare; other line breaks are encoded', () => {
    assert.equal(form('a=1\n&b=2'), 'a=1&b=2');
    assert.equal(form('a=1\nb=2'), `a=1${encodeURIComponent(EOL)}b=2`);
  });

  it('encodeForm alone: a lone surrogate becomes U+FFFD', () => {
    assert.equal(encodeForm('a=\ud800'), 'a=%EF%BF%BD');
  });
});

describe('REST Client fidelity: multipart with a missing `< file`', () => {
  it('keeps the line and adds the closing CRLF', () => {
    const r = build('POST http://h/upload\nContent-Type: multipart/form-data; boundary=XyZ\n\n--XyZ\nContent-Disposition: form-data; name="file"; filename="a.png"\nContent-Type: image/png\n\n< ./no-such-image.png\n--XyZ--');
    assert.deepEqual(r.diagnoses, []);
    assert.equal(
      r.request!.body!.toString(),
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n< ./no-such-image.png\r\n--XyZ--\r\n',
    );
  });

  it('without any `<` line, no closing CRLF (REST Client joins the lines only)', () => {
    const r = build('POST http://h/upload\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="a"\n\n1\n--b--');
    assert.ok(r.request!.body!.toString().endsWith('--b--'));
  });
});

describe('REST Client fidelity: unknown system variables are sent as typed, with a warning', () => {
  it('builds the request with the literal text and a warning, not a refusal', () => {
    const r = build('POST http://h/x?id={{$uuid}}\nX-Date: {{$date}}\nX-Id: {{ $random.uuid }}\n\n{"at": "{{$isoTimestamp}}"}');
    assert.deepEqual(r.diagnoses, []);
    assert.equal(r.request!.url, 'http://h/x?id={{$uuid}}');
    assert.deepEqual(r.request!.headers.slice(0, 2), [['X-Date', '{{$date}}'], ['X-Id', '{{ $random.uuid }}']]);
    assert.equal(r.request!.body!.toString(), '{"at": "{{$isoTimestamp}}"}');
    assert.deepEqual(r.variableWarnings.map((w) => [w.line, w.name]), [[1, '$uuid'], [2, '$date'], [3, '$random.uuid'], [5, '$isoTimestamp']]);
    assert.match(r.variableWarnings[0]!.message, /not a REST Client system variable.*nearest is \{\{\$guid\}\}/);
  });

  it('known system variables with bad arguments still refuse', () => {
    assert.equal(build('GET http://h/{{$randomInt 5}}').request, undefined);
  });
});

describe('REST Client fidelity: refusals that name the real cause and line', () => {
  it('a request variable naming a request without # @name points at the ### title that looks like it', async () => {
    const f = parseHttpFile('### Login\nPOST http://127.0.0.1:9/login\n\n###\nGET http://127.0.0.1:9/me\nAuthorization: Bearer {{login.response.body.token}}\n');
    const state = prepareRun(f, {}, undefined, undefined, { baseDir: fixture() });
    const r = await sendBlock(state, requestBlocks(f)[1]!);
    assert.equal(r.kind, 'invalid');
    if (r.kind !== 'invalid') return;
    assert.equal(r.diagnoses[0]!.line, 6);
    assert.match(r.diagnoses[0]!.message, /no request in this file is named "login".*under "### Login" \(line 2\) looks like it: add `# @name login`/);
  });

  it('a differently cased # @name is pointed at too', async () => {
    const f = parseHttpFile('# @name Login\nPOST http://127.0.0.1:9/login\n\n###\nGET http://127.0.0.1:9/me\nAuthorization: Bearer {{login.response.body.token}}\n');
    const r = await sendBlock(prepareRun(f, {}, undefined, undefined, { baseDir: fixture() }), requestBlocks(f)[1]!);
    assert.ok(r.kind === 'invalid' && /line 2 is named "Login" \(names are case-sensitive\)/.test(r.diagnoses[0]!.message));
  });

  it('a variable line after the body that reads this very request names that cause', async () => {
    const f = parseHttpFile('# @name createTeam\nPOST http://127.0.0.1:9/teams\nContent-Type: application/json\n\n{"name": "core"}\n\n@teamId = {{createTeam.response.body.team.id}}\n');
    const r = await sendBlock(prepareRun(f, {}, undefined, undefined, { baseDir: fixture() }), requestBlocks(f)[0]!);
    assert.ok(r.kind === 'invalid');
    if (r.kind !== 'invalid') return;
    assert.equal(r.diagnoses[0]!.line, 7);
    assert.match(r.diagnoses[0]!.message, /line 7 reads the response of this very request \("createTeam"\): it comes after the request's blank line, so it is part of the body/);
  });

  it('GRAPHQL url is a GraphQL POST with a JSON body (JetBrains / httpYac syntax)', () => {
    const r = build('GRAPHQL https://api.example.com/graphql\nAuthorization: Bearer t\n\nquery Me($id: ID!) { user(id: $id) { name } }\n\n{"id": "1"}');
    assert.deepEqual(r.diagnoses, []);
    assert.equal(r.request!.method, 'POST');
    assert.equal(r.request!.url, 'https://api.example.com/graphql');
    assert.ok(!r.request!.headers.some(([k]) => k === 'X-Request-Type'));
    assert.deepEqual(r.request!.headers.find(([k]) => k === 'Content-Type'), ['Content-Type', 'application/json']);
    assert.deepEqual(JSON.parse(r.request!.body!.toString()), { query: 'query Me($id: ID!) { user(id: $id) { name } }', operationName: 'Me', variables: { id: '1' } });
  });

  it('an unknown method word is named as such, with no scheme of ours in the message', () => {
    const r = build('\n\nFETCH https://api.example.com/x');
    assert.equal(r.diagnoses[0]!.line, 3);
    assert.match(r.diagnoses[0]!.message, /"FETCH" is not an HTTP method REST Client knows/);
    assert.doesNotMatch(r.diagnoses[0]!.message, /http:\/\/FETCH/);
    assert.equal(build('GET [::1/x').diagnoses[0]!.message, 'invalid URL "[::1/x"');
  });

  it('JetBrains indented URL continuation is joined; an unindented /path names the cause', () => {
    const r = build('GET http://example.com:8080\n    /api\n    /get\n    ?id=2\n    &value=text\nAccept: text/plain');
    assert.deepEqual(r.diagnoses, []);
    assert.equal(r.request!.url, 'http://example.com:8080/api/get?id=2&value=text');
    assert.deepEqual(r.request!.headers[0], ['Accept', 'text/plain']);
    const bad = build('GET http://example.com\n/api\nAccept: x');
    assert.equal(bad.diagnoses[0]!.line, 2);
    assert.match(bad.diagnoses[0]!.message, /"\/api" is not a valid header name \(to continue the URL on another line, start that line with \? or & or indent it\)/);
  });
});

describe('REST Client fidelity: the warning reaches the report, the literal reaches the server', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ url: string; body: string }> = [];
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url!, body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      });
    });
    base = await listen(server);
  });
  after(() => close(server));

  it('sends {{$uuid}} literally and the report carries an unknown-system-variable warning', async () => {
    const f = parseHttpFile(`POST ${base}/items\nContent-Type: application/json\n\n{"id": "{{$uuid}}"}`);
    const block = pickBlock(f, {});
    assert.ok(typeof block !== 'string');
    const notes: string[] = [];
    const r = await sendBlock(prepareRun(f, {}, undefined, undefined, { baseDir: fixture() }), block, (t) => notes.push(t));
    assert.equal(r.kind, 'sent');
    if (r.kind !== 'sent') return;
    assert.equal(seen.at(-1)!.body, '{"id": "{{$uuid}}"}');
    const report = buildReport(r.exchange);
    const w = report.diagnosis.find((d) => d.code === 'unknown-system-variable');
    assert.ok(w);
    assert.equal(w.severity, 'warning');
    assert.match(w.detail, /^Line 4: \{\{\$uuid\}\} is not a REST Client system variable/);
    assert.ok(notes.some((n) => /^4: warning: /.test(n)));
  });
});
