// The server collects the young generation while it waits out a debounce (src/server/idle-gc.ts):
// a real V8 minor collection, seen through perf_hooks, and nothing added to the global object.
import * as assert from 'node:assert/strict';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { analysed, collectWhileIdle, enableIdleCollection } from '../../../src/server/idle-gc';

function minorCollections(): { entries: PerformanceEntry[]; stop(): void } {
  const entries: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) entries.push(e);
  });
  obs.observe({ entryTypes: ['gc'] });
  return { entries, stop: () => obs.disconnect() };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('language server: collection while idle', () => {
  it('is available in plain Node without putting gc on the global object', () => {
    const had = typeof (globalThis as { gc?: unknown }).gc;
    assert.equal(enableIdleCollection(), true);
    assert.equal(typeof (globalThis as { gc?: unknown }).gc, had);
  });

  it('runs one minor collection in the next idle turn after an analysis', async () => {
    enableIdleCollection();
    const seen = minorCollections();
    try {
      analysed();
      const before = performance.now();
      collectWhileIdle();
      await new Promise((r) => setImmediate(r));
      const after = performance.now();
      await settle();
      const inTurn = seen.entries.filter((e) => e.startTime >= before && e.startTime <= after);
      assert.ok(inTurn.length >= 1, `a minor collection between ${before.toFixed(1)} and ${after.toFixed(1)} ms; seen: ${seen.entries.map((e) => e.startTime.toFixed(1)).join(', ') || 'none'}`);
    } finally {
      seen.stop();
    }
  });
});
