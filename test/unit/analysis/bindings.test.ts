// What a name stands for (constants.ts Bindings), on files that bind a name more than once, where
// the answer comes from @typescript-eslint/scope-manager: the engine analyses such a file without
// the scope manager's standard library and resolves the references to its globals itself, and it
// skips the scopes for names no declarator binds. The answers must stay those of analyze() with
// its default lib: a reference to a global such as `Error` is not the block constant of the same
// name, a script's `var` named like a lib global merges into it (type-only globals then resolve no
// value).
import * as assert from 'node:assert/strict';
import type { TSESTree } from '@typescript-eslint/types';
import { walk } from '../../../src/analysis/ast';
import { collect, type FileFacts } from '../../../src/analysis/collect';
import { staticString, statusValues } from '../../../src/analysis/constants';
import { headerNameKind } from '../../../src/analysis/headers';
import { parseSource } from '../../../src/analysis/parse';

function factsOf(text: string, fileName = 'server.js'): FileFacts {
  const parsed = parseSource(text, fileName);
  if (!parsed.ok) throw new Error(parsed.error);
  return collect(parsed.ast, text, fileName);
}

/** The identifiers named `name`, in source order. */
function refs(facts: FileFacts, name: string): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  walk(facts.program, (n) => {
    if (n.type === 'Identifier' && n.name === name) out.push(n);
  });
  return out.sort((a, b) => a.range[0] - b.range[0]);
}

/** The source text of what get()/initOf() answer for the last reference of `name`. */
function answers(facts: FileFacts, name: string): { value?: string; init?: string } {
  const id = refs(facts, name).at(-1)!;
  const text = (n: TSESTree.Node | undefined) => (n ? facts.text.slice(n.range[0], n.range[1]) : undefined);
  return { value: text(facts.bindings.get(id)), init: text(facts.bindings.initOf(id)) };
}

describe('bindings of names bound more than once', () => {
  it('a reference to a standard global is not a block constant of the same name', () => {
    const f = factsOf('function f(Error) { return Error; }\n{ const Error = 401; use(Error); }\nres.status(Error);\n');
    assert.deepEqual(answers(f, 'Error'), { value: undefined, init: undefined });
    // inside the block, the constant
    const inBlock = refs(f, 'Error')[3]!;
    assert.equal(f.text.slice(...inBlock.range), 'Error');
    assert.equal(f.bindings.get(inBlock)?.type, 'Literal');
  });

  it("a script's var named like a standard global is that global's definition", () => {
    const f = factsOf('var Map = 401;\nfunction g(Map) { return Map; }\nres.status(Map);\n');
    assert.deepEqual(answers(f, 'Map'), { value: '401', init: '401' });
  });

  it("a script's var named like a type-only global resolves no value (the lib's variable takes it)", () => {
    // in the scope manager's merged lib, Promise is a type only, like Partial
    for (const name of ['Partial', 'Promise']) {
      const f = factsOf(`var ${name} = 401;\nfunction g(${name}) { return ${name}; }\nres.status(${name});\n`);
      assert.deepEqual(answers(f, name), { value: undefined, init: '401' }, name);
    }
  });

  it('a name bound twice that no declarator binds has no value', () => {
    const f = factsOf('function a(status) { return status; }\nfunction b(status) { res.status(status); }\n');
    assert.deepEqual(answers(f, 'status'), { value: undefined, init: undefined });
  });

  it('a constant declared after the class that reads it, while the walk is still going, resolves by scopes', () => {
    const f = factsOf('function a(STATUS) {}\nfunction b(STATUS) {}\nclass Denied extends Error { constructor() { super(); this.status = STATUS; } }\nconst STATUS = 401;\nmodule.exports = { Denied };\n');
    assert.equal(f.errorClasses.get('Denied')?.status, 401);
  });

  it('a destructured name bound twice keeps its source only where the scopes put it', () => {
    const f = factsOf('function a(password) { return password; }\nfunction login(req, res) { const { password } = req.body; check(password); }\n');
    const [, , , fromBody] = refs(f, 'password');
    const picked = f.bindings.pickedFrom(fromBody!);
    assert.equal(picked?.key, 'password');
    assert.equal(f.text.slice(...picked!.from.range), 'req.body');
    assert.equal(f.bindings.pickedFrom(refs(f, 'password')[1]!), undefined);
  });

  it('status, string and header-name questions about a name bound twice: the scopes decide when an initialiser could answer', () => {
    const f = factsOf([
      'function a(code, realm, header) { return [code, realm, header]; }',
      'const code = 401;',
      "const realm = 'Bearer realm=\"api\"';",
      "const header = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';",
      'function b(req, res) { res.status(code); res.set(header, realm); }',
      'function c(code, realm, header) { res.status(code); res.set(header, realm); }',
    ].join('\n'));
    const last = (name: string, k: number) => refs(f, name).at(k)!;
    // in b: the module constants; in c: the parameters
    assert.deepEqual(statusValues(last('code', -2), f.bindings), [401]);
    assert.equal(staticString(last('realm', -2), f.bindings)?.text, 'Bearer realm="api"');
    assert.equal(headerNameKind(last('header', -2), f.bindings), 'www');
    assert.equal(statusValues(last('code', -1), f.bindings), undefined);
    assert.equal(staticString(last('realm', -1), f.bindings), undefined);
    assert.equal(headerNameKind(last('header', -1), f.bindings), 'unknown');
  });

  it('a name bound twice whose initialisers cannot give a status or a string gives none (no scope analysis needed)', () => {
    const f = factsOf('function a(code) { return code; }\nconst code = compute();\nconst opts = makeOpts();\nfunction b(opts) { res.status(code); res.status(opts.UNAUTHORIZED); }\n');
    assert.equal(statusValues(refs(f, 'code').at(-1)!, f.bindings), undefined);
    assert.equal(staticString(refs(f, 'code').at(-1)!, f.bindings), undefined);
    // a member of a name that holds no object literal: the well-known constant names still count
    const member = refs(f, 'opts').at(-1)!.parent!;
    assert.deepEqual(statusValues(member, f.bindings), [401]);
  });
});
