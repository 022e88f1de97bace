// Loads syntaxes/http.tmLanguage.json with vscode-textmate + vscode-oniguruma in plain Node
// and runs syntax-test files in the format of vscode-tmgrammar-test:
//   # SYNTAX TEST "source.http.authlint" "optional description"
//   GET https://example.test
//   # <--- keyword.control.http
//   #   ^^^^^ const.language.http - meta.variable.http
// Assertion lines (comment token, then `^` runs or `<-` arrows) are removed from the source
// before tokenizing and apply to the source line above them. Required scopes must appear in
// the token's scope list in that order; scopes after ` - ` must not appear at all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

export const HTTP_SCOPE = 'source.http.authlint';
export const GRAMMAR_PATH = 'syntaxes/http.tmLanguage.json';
const STAND_INS: Record<string, string> = {
  'source.json': 'test/grammar/embedded/json.tmLanguage.json',
  'text.xml': 'test/grammar/embedded/xml.tmLanguage.json',
};

let onigLib: Promise<vsctm.IOnigLib> | undefined;
export function getOnigLib(): Promise<vsctm.IOnigLib> {
  if (!onigLib) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const bytes = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
    onigLib = oniguruma.loadWASM(bytes).then(() => ({
      createOnigScanner: (sources: string[]) => oniguruma.createOnigScanner(sources),
      createOnigString: (s: string) => oniguruma.createOnigString(s),
    }));
  }
  return onigLib;
}

/** A registry with our grammar and, unless `embedded` is false, the JSON/XML stand-ins. */
export async function loadHttpGrammar(embedded = true): Promise<vsctm.IGrammar> {
  const root = repoRoot();
  const files: Record<string, string> = { [HTTP_SCOPE]: GRAMMAR_PATH, ...(embedded ? STAND_INS : {}) };
  const registry = new vsctm.Registry({
    onigLib: getOnigLib(),
    loadGrammar: async (scopeName) => {
      const rel = files[scopeName];
      if (!rel) return null;
      const file = path.join(root, rel);
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar(HTTP_SCOPE);
  if (!grammar) throw new Error('grammar did not load');
  return grammar;
}

export interface ScopeAssertion { from: number; to: number; scopes: string[]; exclude: string[] }
export interface LineAssertions { fileLine: number; sourceLine: number; assertions: ScopeAssertion[] }
export interface SyntaxTestCase { commentToken: string; scope: string; description: string; source: string[]; lines: LineAssertions[] }

const HEADER = /^(\S+)\s+SYNTAX\s+TEST\s+"([^"]+)"(?:\s+"([^"]+)")?\s*$/;
const SCOPES = /^((?:\s*\w[-\w.]*)*)(?:\s*-((?:\s*\w[-\w.]*)*))?\s*$/;

function splitScopes(text: string, fileLine: number, line: string): { scopes: string[]; exclude: string[] } {
  const m = SCOPES.exec(text);
  if (!m) throw new Error(`bad assertion at line ${fileLine + 1}: ${line}`);
  const scopes = m[1].split(/\s+/).filter(Boolean);
  const exclude = (m[2] ?? '').split(/\s+/).filter(Boolean);
  if (scopes.length + exclude.length === 0) throw new Error(`assertion without scopes at line ${fileLine + 1}: ${line}`);
  return { scopes, exclude };
}

export function parseSyntaxTest(text: string): SyntaxTestCase {
  const lines = text.split(/\r?\n/);
  const header = HEADER.exec(lines[0] ?? '');
  if (!header) throw new Error('first line must be: <comment> SYNTAX TEST "<scope>" ["description"]');
  const [, commentToken, scope, description = ''] = header;
  const source: string[] = [];
  const result: LineAssertions[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const rest = line.startsWith(commentToken) ? line.slice(commentToken.length) : undefined;
    const up = rest !== undefined ? /^(\s*)(\^+(?:\s*\^+)*)(.*)$/.exec(rest) : null;
    const left = rest !== undefined && !up ? /^\s*<(~*)(-+)(.*)$/.exec(rest) : null;
    if (!up && !left) {
      source.push(line);
      continue;
    }
    if (source.length === 0) throw new Error(`assertion before any source line at line ${i + 1}`);
    const assertions: ScopeAssertion[] = [];
    if (up) {
      const { scopes, exclude } = splitScopes(up[3], i, line);
      const carets = /\^+/g;
      const offset = commentToken.length + up[1].length;
      for (let m = carets.exec(up[2]); m; m = carets.exec(up[2])) {
        assertions.push({ from: offset + m.index, to: offset + m.index + m[0].length, scopes, exclude });
      }
    } else if (left) {
      const { scopes, exclude } = splitScopes(left[3], i, line);
      assertions.push({ from: left[1].length, to: left[1].length + left[2].length, scopes, exclude });
    }
    const sourceLine = source.length - 1;
    const last = result[result.length - 1];
    if (last && last.sourceLine === sourceLine) last.assertions.push(...assertions);
    else result.push({ fileLine: i, sourceLine, assertions });
  }
  return { commentToken, scope, description, source, lines: result };
}

export interface Failure { fileLine: number; sourceText: string; from: number; to: number; missing: string[]; unexpected: string[]; actual: string[] }

/** Tokenizes the source lines in order and returns every assertion that does not hold. */
export function runSyntaxTest(grammar: vsctm.IGrammar, tc: SyntaxTestCase): { failures: Failure[]; checked: number } {
  const failures: Failure[] = [];
  const tokensByLine: vsctm.IToken[][] = [];
  let state = vsctm.INITIAL;
  for (const line of tc.source) {
    const r = grammar.tokenizeLine(line, state);
    tokensByLine.push(r.tokens);
    state = r.ruleStack;
  }
  let checked = 0;
  for (const la of tc.lines) {
    const sourceText = tc.source[la.sourceLine];
    for (const a of la.assertions) {
      checked++;
      const hit = tokensByLine[la.sourceLine].filter((t) => a.from < t.endIndex && a.to > t.startIndex && t.startIndex < sourceText.length);
      if (hit.length === 0 || a.to > sourceText.length) {
        failures.push({ fileLine: la.fileLine, sourceText, from: a.from, to: a.to, missing: a.scopes, unexpected: [], actual: ['<past end of line>'] });
        continue;
      }
      for (const t of hit) {
        const missing = missingInOrder(a.scopes, t.scopes);
        const unexpected = a.exclude.filter((s) => t.scopes.includes(s));
        if (missing.length || unexpected.length) {
          failures.push({ fileLine: la.fileLine, sourceText, from: t.startIndex, to: t.endIndex, missing, unexpected, actual: t.scopes });
        }
      }
    }
  }
  return { failures, checked };
}

function missingInOrder(required: string[], actual: string[]): string[] {
  let j = 0;
  for (let i = 0; i < actual.length && j < required.length; i++) if (actual[i] === required[j]) j++;
  return required.slice(j);
}

export function formatFailure(file: string, f: Failure): string {
  const text = JSON.stringify(f.sourceText.slice(f.from, f.to));
  return `${file}:${f.fileLine + 1} cols ${f.from}-${f.to} ${text}` +
    (f.missing.length ? ` missing [${f.missing.join(' ')}]` : '') +
    (f.unexpected.length ? ` unexpected [${f.unexpected.join(' ')}]` : '') +
    ` actual [${f.actual.join(' ')}]`;
}
