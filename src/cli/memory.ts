// A lint that cannot finish in the memory it has says so (issue 12, item 4): the heap in use is
// compared with V8's limit between files, and past 80 % of its old generation (after a full garbage collection,
// when one can be asked for) the lint stops with a message and exit 2, before V8 would abort the
// process with no output at all.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export class OutOfMemory extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutOfMemory';
  }
}

const SHARE = 0.8;
const MB = 1024 * 1024;
/** V8's heap limit counts the young generation's reserve (48 MB on 64-bit), which old objects never get. */
const YOUNG_RESERVE = 48 * MB;

let collector: (() => void) | null | undefined;

/** A full garbage collection, when the runtime lets us ask for one. */
function collectGarbage(): boolean {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  if (!collector) return false;
  collector();
  return true;
}

function oldLimit(): number {
  const all = getHeapStatistics().heap_size_limit;
  return all - YOUNG_RESERVE > all / 2 ? all - YOUNG_RESERVE : all / 2;
}

/** Watches the heap while `total` files are linted; `check(done)` throws OutOfMemory near the limit. */
export class HeapWatch {
  private readonly limit = oldLimit();

  constructor(private readonly total: number) {}

  check(done: number): void {
    if (getHeapStatistics().used_heap_size < this.limit * SHARE) return;
    // what is in use may be garbage not collected yet: collect it and look again
    if (collectGarbage() && getHeapStatistics().used_heap_size < this.limit * SHARE) return;
    const used = getHeapStatistics().used_heap_size;
    throw new OutOfMemory(
      `out of memory: the heap holds ${Math.round(used / MB)} MB of its ${Math.round(this.limit / MB)} MB limit after ${done} of ${this.total} files; ` +
        'lint fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=<MB>)',
    );
  }
}
