// UTF-16 offsets to 0-based line and column, built once per text.
// A byte order mark is not a column: editors do not show it, so line-1 columns do not count it
// (offsets are unchanged, so text edits still apply to the text as read).
export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly bom: boolean;

  constructor(text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 0-based line and column. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    const bomShift = line === 0 && this.bom && offset > 0 ? 1 : 0;
    return { line, column: offset - this.starts[line]! - bomShift };
  }
}
