// The work budget of one file's analysis (issue 12, item 2): the walks of the analysis count
// their steps (nodes visited, ancestors climbed, writes and calls compared, characters of
// challenge values parsed), and past a budget proportional to the file's size the analysis of
// that file stops. The file then gets no findings and a message saying so, where an oversized
// file gets its "skipped" message. On real code the analysis takes a small fraction of the
// budget; only files whose shape makes some walk grow faster than the file reach it.

/** Steps allowed per character of the file, and for any file. */
export const STEPS_PER_CHAR = 60;
export const BASE_STEPS = 2_000_000;
/**
 * Steps counted per character of a challenge value parsed by a rule: parsing a value costs
 * about fifty times what parsing the same characters of source costs, and one huge template
 * literal is a single cheap token for the parser.
 */
export const CHALLENGE_STEPS_PER_CHAR = 50;

export class BudgetExceeded extends Error {
  constructor(readonly steps: number, readonly chars: number) {
    super(`skipped: the analysis stopped after ${steps} steps, the budget for a file of ${chars} characters (its shape makes the analysis grow faster than the file); no findings are reported for it`);
    this.name = 'BudgetExceeded';
  }
}

let left = Number.POSITIVE_INFINITY;
let limit = Number.POSITIVE_INFINITY;
let chars = 0;

/** Starts counting for one file; returns the state to restore (analyses do not nest, but a re-parse inside findings may). */
export function startBudget(fileChars: number): () => void {
  const saved = [left, limit, chars] as const;
  chars = fileChars;
  limit = left = BASE_STEPS + STEPS_PER_CHAR * fileChars;
  return () => {
    [left, limit, chars] = saved;
  };
}

/** Counts `n` steps; throws BudgetExceeded past the budget (never outside a budgeted analysis). */
export function spend(n: number): void {
  left -= n;
  if (left < 0) throw new BudgetExceeded(Math.round(limit - left), chars);
}

/** Steps counted so far in the current analysis (for measurements). */
export function spent(): number {
  return limit === Number.POSITIVE_INFINITY ? 0 : limit - left;
}
