// `authlint/eslint-plugin`: the AuthLint rules for ESLint 9 flat config. One analysis per file,
// shared by the six rules; it reuses the tree ESLint parsed when the parser is espree or
// typescript-eslint's (same ESTree shapes as the engine's parser), else the engine parses the
// text itself. A file is linted alone: facts other files share (error classes, helpers, error
// handlers) are not seen, see docs/eslint.md. `authlint.config.json` is read as the CLI does.
import { RULE_META } from '../analysis/rule-meta';
import { RULE_IDS, type LintResult, type LintSettings, type RuleId } from '../analysis/types';
import { ConfigResolver, toLintSettings } from '../config/config';
import { lintParsed } from '../cli/engine';

declare const AUTHLINT_VERSION: string | undefined;
const VERSION = typeof AUTHLINT_VERSION === 'string' ? AUTHLINT_VERSION : '0.0.0-dev';
const DOCS = 'https://github.com/authlint/authlint/blob/main/';

/** The parts of ESLint's API the rules use (ESLint itself is the user's, not bundled). */
interface Fixer {
  replaceTextRange(range: [number, number], text: string): unknown;
}
interface SourceCode {
  text: string;
  ast: unknown;
  scopeManager?: unknown;
}
interface RuleContext {
  id: string;
  filename?: string;
  physicalFilename?: string;
  cwd?: string;
  sourceCode: SourceCode;
  languageOptions?: { parser?: { meta?: { name?: string }; name?: string } };
  report(descriptor: {
    loc: { start: { line: number; column: number }; end: { line: number; column: number } };
    message: string;
    fix?: (fixer: Fixer) => unknown;
    suggest?: Array<{ desc: string; fix: (fixer: Fixer) => unknown }>;
  }): void;
}

/** Parsers whose trees the engine takes as they are. */
const REUSABLE_PARSERS = new Set(['espree', 'typescript-eslint/parser', '@typescript-eslint/parser']);

const analyses = new WeakMap<SourceCode, LintResult>();

function settingsFor(context: RuleContext): { settings: LintSettings; off: Set<RuleId> } {
  const file = context.physicalFilename ?? context.filename ?? '';
  const cwd = context.cwd ?? process.cwd();
  // read afresh for each file: a long-lived ESLint (an editor's) sees edits of the file
  const resolver = new ConfigResolver(undefined, cwd);
  const config = file && !file.startsWith('<') ? resolver.forFile(file)?.config : undefined;
  // ESLint decides each rule's severity; a rule the configuration file turns off stays off
  const off = new Set(RULE_IDS.filter((id) => config?.rules?.[id] === 'off'));
  const settings = toLintSettings(config);
  settings.rules = Object.fromEntries(RULE_IDS.map((id) => [id, off.has(id) ? 'off' : RULE_META[id].severity]));
  return { settings, off };
}

function analysisOf(context: RuleContext): LintResult {
  const sc = context.sourceCode;
  let r = analyses.get(sc);
  if (r) return r;
  const { settings } = settingsFor(context);
  const parser = context.languageOptions?.parser;
  const parserName = parser?.meta?.name ?? parser?.name ?? 'espree';
  const ast = sc.ast as { type?: string; range?: unknown; comments?: unknown } | undefined;
  const reusable = REUSABLE_PARSERS.has(parserName) && ast?.type === 'Program' && Array.isArray(ast.range) && Array.isArray(ast.comments);
  const file = context.physicalFilename ?? context.filename ?? 'file.js';
  // ESLint's own scope analysis of its tree (eslint-scope or typescript-eslint's) is reused too
  r = lintParsed(sc.text, file, reusable ? ast : undefined, settings, reusable ? sc.scopeManager : undefined);
  analyses.set(sc, r);
  return r;
}

/** 0-based offset to ESLint's location (1-based line, 0-based column). */
function locator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! };
  };
}

function makeRule(id: RuleId) {
  const meta = RULE_META[id];
  return {
    meta: {
      type: 'problem' as const,
      docs: { description: meta.summary, recommended: true, url: DOCS + meta.docsPath },
      fixable: 'code' as const,
      hasSuggestions: true,
      schema: [],
    },
    create(context: RuleContext) {
      return {
        'Program:exit'() {
          const result = analysisOf(context);
          const mine = result.findings.filter((f) => f.ruleId === id);
          if (mine.length === 0) return;
          const at = locator(context.sourceCode.text);
          for (const f of mine) {
            const [preferred, ...others] = f.fixes;
            const apply = (edits: typeof f.fixes[number]['edits']) => (fixer: Fixer) => edits.map((e) => fixer.replaceTextRange([e.range[0], e.range[1]], e.text));
            context.report({
              loc: { start: at(f.range[0]), end: at(f.range[1]) },
              message: f.message,
              ...(preferred ? { fix: apply(preferred.edits) } : {}),
              ...(others.length ? { suggest: others.map((x) => ({ desc: x.title, fix: apply(x.edits) })) } : {}),
            });
          }
        },
      };
    },
  };
}

const rules = Object.fromEntries(RULE_IDS.map((id) => [id, makeRule(id)])) as Record<RuleId, ReturnType<typeof makeRule>>;

const plugin = {
  meta: { name: 'authlint', version: VERSION },
  rules,
  configs: {} as Record<string, unknown>,
};

plugin.configs.recommended = {
  name: 'authlint/recommended',
  plugins: { authlint: plugin },
  rules: Object.fromEntries(RULE_IDS.map((id) => [`authlint/${id}`, RULE_META[id].severity === 'error' ? 'error' : 'warn'])),
};

export = plugin;
