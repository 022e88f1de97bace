// A young-generation collection while the server waits out the debounce. Parsing a file allocates
// its TypeScript tree and then its ESTree; when V8's scavenger runs in the middle of that, it
// copies the half-built trees (about 10 ms a run on a 2,000-line file, nearly once per keystroke).
// Collecting the previous analysis's garbage while the server is idle anyway (the debounce after
// a change) lets the next analysis start with an empty nursery: in-process on the 2,065-line bench
// file, analysis p50 30 -> 20 ms and p95 45 -> 24 ms, for a 7 ms collection off the critical path.
// V8 gives scripts a `gc` function only with --expose-gc; set at start, before the engine is
// compiled (the flag is part of what a code cache is checked against, so every start sets it the
// same way), and taken from a fresh context so the server's own global gains nothing.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

let collect: Collect | undefined;
let tried = false;
/** Something allocated since the last collection (an analysis ran). */
let dirty = false;

/** Makes the collection available; false when this runtime does not allow it (then nothing is collected). */
export function enableIdleCollection(): boolean {
  if (!tried) {
    tried = true;
    try {
      const own = (globalThis as { gc?: Collect }).gc;
      if (typeof own === 'function') collect = own;
      else {
        setFlagsFromString('--expose-gc');
        const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as Collect | undefined;
        collect = typeof gc === 'function' ? gc : undefined;
      }
    } catch {
      collect = undefined;
    }
  }
  return collect !== undefined;
}

/** An analysis ran: the next idle moment collects its garbage. */
export function analysed(): void {
  dirty = true;
}

/** The server is idle for a while (a debounce started): collects the young generation once after each analysis. */
export function collectWhileIdle(): void {
  if (!dirty || !collect) return;
  dirty = false;
  setImmediate(() => {
    try {
      collect?.({ type: 'minor' });
    } catch {
      collect = undefined;
    }
  });
}
