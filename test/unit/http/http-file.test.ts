import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { blockAtLine, parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { fixture } from './runner-support';

const read = (name: string): string => readFileSync(fixture(name), 'utf8');

describe('http-file: splitting a .http file into request blocks', () => {
  const file = parseHttpFile(read('rest-client.http'));

  it('finds the blocks between ### delimiters, and skips a saved response', () => {
    assert.equal(file.blocks.length, 4);
    assert.deepEqual(requestBlocks(file).map((b) => b.requestLine), [9, 22, 31]);
    assert.equal(file.blocks[3]!.skipped, 'saved-response');
    assert.equal(file.blocks[3]!.requestLine, undefined);
    assert.equal(file.blocks[1]!.title, 'Get the profile');
  });

  it('collects file variables from the whole file, with escapes', () => {
    assert.equal(file.fileVariables.get('host')?.value, 'http://localhost:3000');
    assert.equal(file.fileVariables.get('escaped')?.value, 'a\tb\nc');
    assert.equal(file.fileVariables.get('greeting')?.line, 3);
  });

  it('reads metadata before the request line (REST Client and JetBrains forms)', () => {
    const [login, profile] = file.blocks;
    assert.equal(login!.name, 'login');
    assert.ok(login!.note);
    assert.equal(profile!.name, 'profile');
    assert.equal(profile!.noRedirect, true);
    assert.equal(profile!.noCookieJar, true);
    assert.equal(login!.noRedirect, false);
  });

  it('removes comment lines everywhere, the body included', () => {
    const texts = file.blocks[0]!.lines.map((l) => l.text);
    assert.ok(!texts.some((t) => t.includes('vanishes')));
    assert.deepEqual(file.blocks[0]!.lines.map((l) => l.line), [9, 10, 11, 12, 13, 15, 16]);
    assert.equal(file.blocks[0]!.rangeEndLine, 16);
  });

  it('finds the block around a line; a delimiter line selects nothing', () => {
    assert.equal(blockAtLine(file, 14)?.name, 'login');
    assert.equal(blockAtLine(file, 24)?.name, 'profile');
    assert.equal(blockAtLine(file, 18), undefined);
  });

  it('splits CRLF files', () => {
    const f = parseHttpFile(read('crlf.http'));
    assert.equal(f.blocks.length, 1);
    assert.deepEqual(f.blocks[0]!.lines.map((l) => l.text), ['GET http://localhost:3000/crlf', 'X-Crlf: yes', '', 'line1', 'line2']);
  });

  it('skips httpYac / JetBrains scripts, asserts and output redirection with an info note', () => {
    const f = parseHttpFile(read('httpyac.http'));
    const reqs = requestBlocks(f);
    assert.equal(reqs.length, 3);
    assert.deepEqual(reqs[2]!.lines.map((l) => l.text), ['GET http://localhost:3000/c']);
    assert.equal(reqs[0]!.requestLine, 5);
    assert.deepEqual(reqs[0]!.lines.map((l) => l.text), ['GET http://localhost:3000/a', 'X-A: 1']);
    assert.deepEqual(reqs[1]!.lines.map((l) => l.text), ['POST http://localhost:3000/b', 'Content-Type: text/plain', '', 'body line']);
    const notes = f.diagnoses.filter((d) => d.severity === 'info').map((d) => d.line);
    assert.deepEqual(notes, [1, 4, 8, 11, 14, 19, 24]);
  });

  it('takes only fenced http/rest blocks from Markdown', () => {
    const md = ['# Title', 'GET http://not-a-request', '```http', 'GET http://localhost/a', '```', 'text', '```rest', '@v = 1', 'GET http://localhost/b', '###', 'GET http://localhost/c', '```', '```js', 'GET http://x', '```'].join('\n');
    const f = parseHttpFile(md, { markdown: true });
    assert.deepEqual(requestBlocks(f).map((b) => [b.requestLine, b.lines[0]!.text]), [
      [4, 'GET http://localhost/a'],
      [9, 'GET http://localhost/b'],
      [11, 'GET http://localhost/c'],
    ]);
    assert.equal(f.fileVariables.get('v')?.value, '1');
  });

  it('keeps an empty block out of the request list', () => {
    const f = parseHttpFile('###\n\n# nothing\n###\n');
    assert.equal(requestBlocks(f).length, 0);
    assert.equal(f.blocks[0]!.skipped, 'empty');
  });
});
