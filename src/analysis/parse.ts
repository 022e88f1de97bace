// typescript-estree wrapper: never throws; the error message says where and why.
import { parse as estreeParse } from '@typescript-eslint/typescript-estree';
import type { TSESTree } from '@typescript-eslint/types';
import { SUPPRESSION_PREFIX } from './suppressions';

export type Program = TSESTree.Program;

export type ParseOutcome = { ok: true; ast: Program } | { ok: false; error: string };

// Comments are only read for suppressions (suppressions.ts): the parser collects them (a scan of
// the whole file, a third of a warm parse) only when the text holds a directive.
function options(fileName: string, jsx: boolean, comment: boolean) {
  return { range: true, loc: false, comment, tokens: false, jsx, filePath: fileName, errorOnUnknownASTType: false } as const;
}

export function parseSource(text: string, fileName: string): ParseOutcome {
  const lower = fileName.toLowerCase();
  const isTs = /\.(ts|mts|cts)$/.test(lower);
  const jsxFirst = /\.(tsx|jsx)$/.test(lower) || (!isTs && !lower.endsWith('.tsx'));
  const comment = text.includes(SUPPRESSION_PREFIX);
  try {
    return { ok: true, ast: estreeParse(text, options(fileName, jsxFirst, comment)) as Program };
  } catch (first) {
    // .js files may hold TS-like or JSX-free code where `<T>x` casts confuse JSX mode: retry once.
    if (!isTs) {
      try {
        return { ok: true, ast: estreeParse(text, options(fileName, !jsxFirst, comment)) as Program };
      } catch {
        /* report the first error */
      }
    }
    return { ok: false, error: describe(first, text) };
  }
}

function describe(err: unknown, text: string): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return '1:1: the file nests expressions too deeply to analyse (the parser ran out of stack); generated or minified code is best excluded';
  }
  const e = err as { message?: string; index?: number; lineNumber?: number; column?: number };
  const msg = (e && e.message) || String(err);
  if (typeof e?.lineNumber === 'number') return `${e.lineNumber}:${(e.column ?? 0) + 1}: ${msg}`;
  if (typeof e?.index === 'number') {
    const before = text.slice(0, e.index);
    const line = before.split('\n').length;
    return `${line}:${e.index - before.lastIndexOf('\n')}: ${msg}`;
  }
  return msg;
}
