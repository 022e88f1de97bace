// `authlint explain [--request RAW_REQUEST_FILE] [--format text|json|html] [--show-secrets] < RAW_RESPONSE`
// Reads a raw response as `curl -si` prints it (with several, the last) and explains it.
// Exit 0: a response was read and explained, whatever its status; 2: usage or file error.

import { bodyOf } from '../http/body-view';
import { buildReport } from '../http/explain';
import { captureToExchange, parseCapture, parseRawRequest } from '../http/raw-response';
import { renderHtml } from '../http/render-html';
import { readBodyFile } from '../http/request-build';
import { renderJson, renderText } from '../http/render-text';
import type { SentRequest } from '../http/types';
import { eachArg, reportFlag, usageError, write, type ReportFlags } from './io';

export interface ExplainIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXPLAIN_USAGE = `Usage: authlint explain [--request RAW_REQUEST_FILE] [--format text|json|html] [--show-secrets] < RAW_RESPONSE

Reads a raw HTTP response as \`curl -si\` prints it (with several responses, the last one)
and explains why authentication failed. --request names a file holding the raw request
(\`GET /path HTTP/1.1\` + headers, or the "> " lines of \`curl -v\`).
Credentials are redacted unless --show-secrets.
Exit codes: 0 explained, 2 usage or file error.
`;

interface Args extends ReportFlags {
  request?: string;
}

function parseArgs(argv: string[]): Args | string {
  const out: Args = { format: 'text', showSecrets: false, help: false };
  const error = eachArg(argv, (name, value, a) => {
    const common = reportFlag(name, value, out);
    if (common !== false) return common;
    switch (name) {
      case '--request': {
        const v = value();
        if (!v) return '--request needs a file name';
        out.request = v;
        return undefined;
      }
      default:
        return `unknown argument: ${a}`;
    }
  });
  if (error !== undefined) return error;
  return out;
}

/** The most stdin may hold: a capture of one exchange, not a download. */
export const MAX_STDIN_BYTES = 32 * 1024 * 1024;
/** The most a --request file may hold. */
export const MAX_REQUEST_FILE_BYTES = 1024 * 1024;

class TooLarge extends Error {}

/** Reads the stream to its end, or fails as soon as more than `limit` bytes arrived. */
export async function readAll(stream: NodeJS.ReadableStream, limit = MAX_STDIN_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer | string>) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    n += b.length;
    if (n > limit) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new TooLarge(`stdin holds more than ${limit / 1024 / 1024} MB; explain reads one captured response (cut a long body, e.g. curl -si URL | head -c 1000000 | authlint explain)`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, n);
}

export async function runExplain(argv: string[], io: ExplainIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') return usageError(io.stderr, 'explain', args, EXPLAIN_USAGE);
  if (args.help) {
    await write(io.stdout, EXPLAIN_USAGE);
    return 0;
  }
  if ((io.stdin as NodeJS.ReadStream).isTTY) {
    await write(io.stderr, `authlint explain: pipe a raw response into stdin, e.g. curl -si URL | authlint explain\n\n${EXPLAIN_USAGE}`);
    return 2;
  }

  let request: SentRequest | undefined;
  if (args.request !== undefined) {
    // A regular file of bounded size: a device or FIFO named here must not hang or fill memory.
    const raw = readBodyFile(args.request, MAX_REQUEST_FILE_BYTES);
    if (!Buffer.isBuffer(raw)) {
      await write(io.stderr, `authlint explain: cannot read ${args.request}: ${raw.error.replace('body files', 'request files').replace('sent as a body', 'read as a request')}\n`);
      return 2;
    }
    const text = raw[0] === 0xff && raw[1] === 0xfe ? raw.subarray(2).toString('utf16le') : raw.toString('utf8');
    const parsed = parseRawRequest(text);
    if ('error' in parsed) {
      await write(io.stderr, `authlint explain: ${args.request}: ${parsed.error}\n`);
      return 2;
    }
    request = parsed;
  }

  let input: Buffer;
  try {
    input = await readAll(io.stdin);
  } catch (e) {
    await write(io.stderr, `authlint explain: ${e instanceof TooLarge ? e.message : `cannot read stdin: ${String(e)}`}\n`);
    return 2;
  }
  const capture = parseCapture(input);
  if ('error' in capture) {
    await write(io.stderr, `authlint explain: ${capture.error}\n`);
    return 2;
  }

  const exchange = captureToExchange(capture, request);
  const report = buildReport(exchange);
  const body = bodyOf(exchange.response);
  const out =
    args.format === 'json' ? renderJson(report, { showSecrets: args.showSecrets })
    : args.format === 'html' ? renderHtml(report, body, { showSecrets: args.showSecrets })
    : renderText(report, body, { showSecrets: args.showSecrets });
  await write(io.stdout, out);
  return 0;
}
