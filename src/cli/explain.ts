// `authlint explain [--request RAW_REQUEST_FILE] [--format text|json|html] [--show-secrets] < RAW_RESPONSE`
// Reads a raw response as `curl -si` prints it (with several, the last) and explains it.
// Exit 0: a response was read and explained, whatever its status; 2: usage or file error.

import { readFile } from 'node:fs/promises';
import { bodyOf } from '../http/body-view';
import { buildReport } from '../http/explain';
import { captureToExchange, parseCapture, parseRawRequest } from '../http/raw-response';
import { renderHtml } from '../http/render-html';
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

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
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
    let text: string;
    try {
      const raw = await readFile(args.request);
      text = raw[0] === 0xff && raw[1] === 0xfe ? raw.subarray(2).toString('utf16le') : raw.toString('utf8');
    } catch (e) {
      await write(io.stderr, `authlint explain: cannot read ${args.request}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
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
    await write(io.stderr, `authlint explain: cannot read stdin: ${String(e)}\n`);
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
