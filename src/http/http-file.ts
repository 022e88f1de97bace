// Splits a .http / .rest file (REST Client dialect, http-dialect.md §4 F1-F4, F11) into request
// blocks. Nothing here substitutes variables or builds the request: that happens per block in
// request-build.ts, on the raw text, as REST Client does (F5). Line numbers are 1-based.

export type FileDiagnosisSeverity = 'error' | 'warning' | 'info';

export interface FileDiagnosis {
  line: number;
  severity: FileDiagnosisSeverity;
  message: string;
}

/** One significant line of a block: comments removed, original line number kept. */
export interface BlockLine {
  line: number;
  text: string;
}

export interface FileVariable {
  name: string;
  /** Value with `\n`, `\r`, `\t`, `\x` escapes applied; `{{refs}}` still in it. */
  value: string;
  line: number;
}

export interface PromptSpec {
  name: string;
  description?: string;
}

export interface RequestBlock {
  /** 0-based position among all blocks of the file (requests and skipped ones). */
  index: number;
  /** First and last line of the block (delimiters excluded). */
  startLine: number;
  endLine: number;
  /** Line of the request line (where the CodeLens goes); undefined when not sendable. */
  requestLine?: number;
  /** Last line of the request range (F4). */
  rangeEndLine?: number;
  /** Text after `###`, if any (a title; never changes what is sent). */
  title?: string;
  name?: string;
  note?: string;
  noRedirect: boolean;
  noCookieJar: boolean;
  prompts: PromptSpec[];
  /** The request range with comment and tolerated-syntax lines removed. */
  lines: BlockLine[];
  /** Why the block is not a request: 'empty' | 'saved-response'. */
  skipped?: 'empty' | 'saved-response';
  diagnoses: FileDiagnosis[];
}

export interface ParsedHttpFile {
  blocks: RequestBlock[];
  fileVariables: Map<string, FileVariable>;
  diagnoses: FileDiagnosis[];
}

const DELIMITER = /^#{3,}(.*)$/;
const COMMENT = /^\s*(#|\/\/)/;
const METADATA = /^\s*(?:#|\/\/)\s*@([\w-]+)(?:\s+(.*?))?\s*$/;
const FILE_VARIABLE = /^\s*@([^\s=]+)\s*=\s*(.*?)\s*$/;
const SAVED_RESPONSE = /^\s*HTTP\/[\d.]+/;
const IGNORED_WITH_NOTE = new Set(['import', 'ref', 'forceref']);

export function unescapeFileValue(raw: string): string {
  return raw.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}

/** Lines of the file, split on \r?\n (F1). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

interface Segment {
  from: number; // 0-based index into lines, inclusive
  to: number; // exclusive
}

/** Fenced ```http / ```rest blocks of a Markdown file (F11). */
function markdownSegments(lines: string[]): Segment[] {
  const out: Segment[] = [];
  let open = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (open < 0 && /^```(http|rest)\s*$/.test(l)) open = i + 1;
    else if (open >= 0 && /^```\s*$/.test(l)) {
      out.push({ from: open, to: i });
      open = -1;
    }
  }
  return out;
}

/** Parses a whole file. `markdown: true` takes only fenced http/rest blocks. */
export function parseHttpFile(text: string, options: { markdown?: boolean } = {}): ParsedHttpFile {
  const lines = splitLines(text);
  const segments = options.markdown ? markdownSegments(lines) : [{ from: 0, to: lines.length }];
  const fileVariables = new Map<string, FileVariable>();
  const diagnoses: FileDiagnosis[] = [];
  const blocks: RequestBlock[] = [];

  for (const seg of segments) {
    // File variables are collected from every line; last definition wins (F3).
    for (let i = seg.from; i < seg.to; i++) {
      const m = FILE_VARIABLE.exec(lines[i] ?? '');
      if (m) fileVariables.set(m[1]!, { name: m[1]!, value: unescapeFileValue(m[2] ?? ''), line: i + 1 });
    }
    let start = seg.from;
    let title: string | undefined;
    for (let i = seg.from; i <= seg.to; i++) {
      const m = i < seg.to ? DELIMITER.exec(lines[i] ?? '') : null;
      if (i === seg.to || m) {
        if (i > start || i === seg.to) {
          const b = parseBlock(lines, start, i, blocks.length, title);
          if (b) blocks.push(b);
        }
        start = i + 1;
        title = m?.[1]?.trim() || undefined;
      }
    }
  }
  for (const b of blocks) {
    b.diagnoses.sort((x, y) => x.line - y.line);
    diagnoses.push(...b.diagnoses);
  }
  return { blocks, fileVariables, diagnoses };
}

/** Removes httpYac/JetBrains script and assertion syntax; returns the lines kept. */
function stripTolerated(src: BlockLine[], diags: FileDiagnosis[]): BlockLine[] {
  const out: BlockLine[] = [];
  for (let i = 0; i < src.length; i++) {
    const { text, line } = src[i]!;
    let endPattern: RegExp | undefined;
    let what: string | undefined;
    if (/^\s*[<>]\s*\{%/.test(text)) {
      what = text.trimStart().startsWith('>') ? 'response handler script `> {% %}`' : 'pre-request script `< {% %}`';
      endPattern = /%\}\s*$/;
    } else if (/^\s*\{\{\s*$/.test(text)) {
      what = 'httpYac script block `{{ }}`';
      endPattern = /^\s*\}\}\s*$/;
    } else if (/^\s*>\s+\S+\.[cm]?[jt]s\s*$/.test(text)) what = 'response handler file `> script.js`';
    else if (/^\s*\?\?/.test(text)) what = 'httpYac assertion `??`';
    else if (/^\s*>>!?\s/.test(text)) what = 'response output redirection `>>`';
    else if (/^\s*<>\s/.test(text)) what = 'saved-response reference `<>`';
    if (!what) {
      out.push(src[i]!);
      continue;
    }
    let j = i;
    const closedOnSameLine = endPattern === undefined || (text.includes('{%') && text.indexOf('%}', text.indexOf('{%')) > 0);
    if (!closedOnSameLine) {
      while (j + 1 < src.length && !endPattern!.test(src[j + 1]!.text)) j++;
      if (j + 1 < src.length) j++; // the closing line
    }
    diags.push({ line, severity: 'info', message: `${what} is httpYac/JetBrains syntax: AuthLint skips it and does not run it.` });
    i = j;
  }
  return out;
}

function parseBlock(lines: string[], from: number, to: number, index: number, title?: string): RequestBlock | undefined {
  const block: RequestBlock = {
    index,
    startLine: from + 1,
    endLine: to,
    noRedirect: false,
    noCookieJar: false,
    prompts: [],
    lines: [],
    diagnoses: [],
  };
  if (title) block.title = title;
  const all: BlockLine[] = [];
  for (let i = from; i < to; i++) all.push({ line: i + 1, text: lines[i] ?? '' });
  // Comment lines are removed everywhere, body included (F3); script syntax is skipped.
  const kept = stripTolerated(all.filter((l) => !COMMENT.test(l.text)), block.diagnoses);
  const first = kept.find((l) => l.text.trim() !== '' && !FILE_VARIABLE.test(l.text));
  for (const l of all) {
    if (first && l.line >= first.line) break;
    const m = COMMENT.test(l.text) ? METADATA.exec(l.text) : null;
    if (m) applyMetadata(block, m[1]!.toLowerCase(), (m[2] ?? '').replace(/^=\s*/, ''), l.line);
  }
  if (!first) {
    if (block.startLine > block.endLine) return undefined;
    block.skipped = 'empty';
    return block;
  }
  if (SAVED_RESPONSE.test(first.text)) {
    block.skipped = 'saved-response';
    return block;
  }
  const body = kept.filter((l) => l.line >= first.line);
  while (body.length > 0 && body[body.length - 1]!.text.trim() === '') body.pop();
  block.lines = body;
  block.requestLine = first.line;
  block.rangeEndLine = body[body.length - 1]!.line;
  return block;
}

function applyMetadata(block: RequestBlock, key: string, value: string, line: number): void {
  if (key === 'name') {
    if (/^[\w-]+$/.test(value)) block.name = value;
    else block.diagnoses.push({ line, severity: 'warning', message: `\`# @name\` needs a name made of letters, digits, _ or -; got "${value}".` });
  } else if (key === 'note') block.note = value || 'confirm before sending';
  else if (key === 'no-redirect') block.noRedirect = true;
  else if (key === 'no-cookie-jar') block.noCookieJar = true;
  else if (key === 'prompt') {
    const m = /^(\S+)(?:\s+(.*))?$/.exec(value);
    if (m) block.prompts.push(m[2] ? { name: m[1]!, description: m[2] } : { name: m[1]! });
  } else if (IGNORED_WITH_NOTE.has(key)) {
    block.diagnoses.push({ line, severity: 'info', message: `\`# @${key}\` is httpYac syntax: AuthLint ignores it.` });
  }
  // Other metadata keys (httpYac/JetBrains add many) are ignored without noise.
}

/** The block a 1-based line falls in (a delimiter line selects nothing, F2). */
export function blockAtLine(file: ParsedHttpFile, line: number): RequestBlock | undefined {
  return file.blocks.find((b) => line >= b.startLine && line <= b.endLine);
}

/** Blocks that can be sent (have a request line). */
export function requestBlocks(file: ParsedHttpFile): RequestBlock[] {
  return file.blocks.filter((b) => b.requestLine !== undefined);
}
