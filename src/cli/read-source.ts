// Reading one source file for `authlint lint`: regular files only, size checked before reading
// (stat, then at most the limit plus one byte), so a huge file, a device or a FIFO is never read.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** The analysis skips files over 2,000,000 characters; the CLI checks bytes, before reading. */
export const MAX_SOURCE_BYTES = 2_000_000;

/**
 * `bytes` is what was read (a cache hashes it: no second read, no re-encoding); `stat` is the
 * open file's status taken before reading it (a change during the read changes its signature).
 */
export type SourceRead = { text: string; bytes: Buffer; stat: Stats } | { skipped: string } | { unreadable: string };

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e && e.code ? e.code : String((err as Error)?.message ?? err);
}

export function readSource(file: string, max = MAX_SOURCE_BYTES): SourceRead {
  const over = (size: number) => ({ skipped: `skipped: ${size} bytes is over the ${max} limit (authlint.lint.maxFileSize)` });
  let fd: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return { unreadable: 'cannot read: not a regular file' };
    if (st.size > max) return over(st.size);
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it must not wait
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { unreadable: `cannot read: ${reason(err)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { unreadable: 'cannot read: not a regular file' };
    if (st.size > max) return over(st.size);
    const buf = Buffer.alloc(Math.min(max + 1, st.size + 1));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > max) return over(got);
    const bytes = buf.subarray(0, got);
    return { text: bytes.toString('utf8'), bytes, stat: st };
  } catch (err) {
    return { unreadable: `cannot read: ${reason(err)}` };
  } finally {
    closeSync(fd);
  }
}
