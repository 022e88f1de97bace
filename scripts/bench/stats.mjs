import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

// Small statistics helpers: medians, percentiles, seeded shuffle, size bands.
export function median(xs) {
  return percentile(xs, 50);
}

/** Linear-interpolated percentile of the finite values (NaN when there are none). */
export function percentile(xs, p) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = ((s.length - 1) * p) / 100;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

export function sum(xs) {
  return xs.reduce((a, b) => a + b, 0);
}

/** mulberry32: a fixed seed gives the same order on every run. */
export function shuffled(items, seed = 20261124) {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function chunked(items, n) {
  const size = Math.ceil(items.length / n);
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rotates `list` by k and reverses it every other time: no variant always runs first. */
export function rotation(list, k) {
  const r = list.map((_, i) => list[(i + k) % list.length]);
  return k % 2 ? r.reverse() : r;
}

export const BANDS = [
  { id: 'small', label: '< 500 lines', test: (l) => l < 500 },
  { id: 'medium', label: '500-2,000 lines', test: (l) => l >= 500 && l <= 2000 },
  { id: 'large', label: '> 2,000 lines', test: (l) => l > 2000 },
];

function procStat() {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: v.reduce((a, b) => a + b, 0), idle: v[3] + (v[4] || 0) };
  } catch {
    return null;
  }
}

/** Starts a load meter; calling the result gives the busy cores (all processes) since the start. */
export function loadMeter() {
  const a = procStat();
  return () => {
    const b = procStat();
    if (!a || !b || b.total === a.total) return null;
    return Math.round((1 - (b.idle - a.idle) / (b.total - a.total)) * cpus().length * 100) / 100;
  };
}
