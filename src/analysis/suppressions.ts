// `// authlint-disable-next-line <id>[, <id>]` and `/* authlint-disable <id> */` (file-wide).
// Without ids, every rule is disabled for that line or file.
import type { TSESTree } from '@typescript-eslint/types';
import type { Finding } from './types';
import { LineIndex } from './positions';
import { dropReason } from './text-scan';

/** Every directive starts with it: a file without it has none (the parser skips its comments). */
export const SUPPRESSION_PREFIX = 'authlint-disable';

interface Suppressions {
  fileAll: boolean;
  fileIds: Set<string>;
  lines: Map<number, Set<string> | 'all'>;
}

function ids(rest: string): string[] {
  return dropReason(rest)
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseSuppressions(comments: TSESTree.Comment[] | undefined, lines: LineIndex): Suppressions {
  const s: Suppressions = { fileAll: false, fileIds: new Set(), lines: new Map() };
  for (const c of comments ?? []) {
    const text = c.value.trim().replace(/^\*+\s*/, '');
    let m = /^authlint-disable-next-line\b(.*)$/s.exec(text);
    if (m) {
      const line = lines.lineOf(c.range[1]) + 1;
      const list = ids(m[1]!);
      const prev = s.lines.get(line);
      if (list.length === 0 || prev === 'all') s.lines.set(line, 'all');
      else s.lines.set(line, new Set([...(prev ?? []), ...list]));
      continue;
    }
    m = /^authlint-disable\b(?!-)(.*)$/s.exec(text);
    if (m && c.type === 'Block') {
      const list = ids(m[1]!);
      if (list.length === 0) s.fileAll = true;
      list.forEach((id) => s.fileIds.add(id));
    }
  }
  return s;
}

export function isSuppressed(f: Finding, s: Suppressions, lines: LineIndex): boolean {
  if (s.fileAll || s.fileIds.has(f.ruleId)) return true;
  const entry = s.lines.get(lines.lineOf(f.range[0]));
  return entry === 'all' || (entry !== undefined && entry.has(f.ruleId));
}
