// Growth measurements for the hardening suite: how the time of a function grows when its input
// grows 4x, measured as a ratio (never an absolute time). Each timing repeats the call until a few
// milliseconds have passed and keeps the best of several rounds, so a busy machine slows both
// sides alike. A linear function gives about 4; a quadratic one 16; the bounds sit in between.

function perCall(fn: () => unknown, minMs: number): number {
  let reps = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    fn();
    reps++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < minMs);
  return elapsed / reps;
}

/** Best per-call time (ms) over `rounds` rounds. */
export function bestTime(fn: () => unknown, rounds = 3, minMs = 4): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) best = Math.min(best, perCall(fn, minMs));
  return best;
}

export interface Growth {
  small: number;
  large: number;
  ratio: number;
}

/**
 * Time of `fn(make(n))` against `fn(make(4n))`: the ratio large/small. When the first ratio is
 * over `bound`, measures again (a one-off stall of the machine must not fail a test) and keeps
 * the lower ratio.
 */
export function growth<T>(make: (n: number) => T, fn: (input: T) => unknown, n: number, bound = 9): Growth {
  const a = make(n);
  const b = make(4 * n);
  let best: Growth | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const small = bestTime(() => fn(a));
    const large = bestTime(() => fn(b));
    const g = { small, large, ratio: large / small };
    if (!best || g.ratio < best.ratio) best = g;
    if (best.ratio <= bound) break;
  }
  return best!;
}

export function describeGrowth(g: Growth): string {
  return `${g.small.toFixed(3)} ms -> ${g.large.toFixed(3)} ms (x${g.ratio.toFixed(1)} for 4x the input)`;
}
