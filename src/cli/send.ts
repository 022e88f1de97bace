// `authlint send FILE.http [--name NAME | --line N] [--env NAME] [--format text|json|html]
//                 [--timeout MS] [--insecure] [--show-secrets]`
// Sends one request of a .http file and explains the answer. Exit 0: a response was received
// and explained (whatever its status); 2: usage or file error (unreadable file, malformed
// block, unresolved variable); 3: the request failed (DNS, refused, TLS, timeout, ...).

import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { bodyOf } from '../http/body-view';
import { environmentNames, loadDotenv, loadEnvironmentSources } from '../http/environments';
import { buildReport, tokenFailureReport } from '../http/explain';
import { parseHttpFile } from '../http/http-file';
import { renderHtml } from '../http/render-html';
import { renderJson, renderText } from '../http/render-text';
import { pickBlock, prepareRun, sendBlock, type RunState } from '../http/run';
import { cliInteraction } from './oauth-interaction';
import { eachArg, reportFlag, transportFlag, usageError, write, type ReportFlags } from './io';

export interface SendIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const SEND_USAGE = `Usage: authlint send FILE.http [--name NAME | --line N] [--env NAME] [--format text|json|html]
                     [--timeout MS] [--insecure] [--show-secrets]

Sends one request of a .http/.rest file (REST Client syntax) and explains the answer:
the request named by \`# @name NAME\`, else the one around line N, else the first.
--env selects an environment from http-client.env.json (+ http-client.private.env.json)
or .vscode/settings.json "rest-client.environmentVariables". --timeout applies to connecting
plus the response headers, and to any pause in the body (default 30000); the whole body must
arrive within four times that. --insecure skips TLS certificate verification. Credentials
are redacted unless --show-secrets.
Exit codes: 0 response received and explained, 2 usage or file error, 3 request failed.
`;

export interface SendArgs extends ReportFlags {
  file?: string;
  name?: string;
  line?: number;
  env?: string;
  timeoutMs?: number;
  insecure: boolean;
}

export function parseSendArgs(argv: string[]): SendArgs | string {
  const out: SendArgs = { format: 'text', insecure: false, showSecrets: false, help: false };
  const error = eachArg(argv, (flag, value, a) => {
    const common = reportFlag(flag, value, out);
    if (common !== false) return common;
    const transport = transportFlag(flag, value, out);
    if (transport !== false) return transport;
    switch (flag) {
      case '--name': {
        const v = value();
        if (!v) return '--name needs a request name';
        out.name = v;
        return undefined;
      }
      case '--line': {
        const v = value();
        if (!v || !/^[1-9]\d*$/.test(v)) return `--line needs a line number (1 or more), got ${v ?? 'nothing'}`;
        out.line = Number(v);
        return undefined;
      }
      case '--env': {
        const v = value();
        if (!v) return '--env needs an environment name';
        out.env = v;
        return undefined;
      }
      default:
        if (a.startsWith('-')) return `unknown option: ${a}`;
        if (out.file !== undefined) return `only one file can be sent, got ${out.file} and ${a}`;
        out.file = a;
        return undefined;
    }
  });
  if (error !== undefined) return error;
  if (!out.help && out.file === undefined) return 'a .http file is required';
  if (out.name !== undefined && out.line !== undefined) return '--name and --line cannot be used together';
  return out;
}

export async function runSend(argv: string[], io: SendIo): Promise<number> {
  const args = parseSendArgs(argv);
  if (typeof args === 'string') return usageError(io.stderr, 'send', args, SEND_USAGE);
  if (args.help) {
    await write(io.stdout, SEND_USAGE);
    return 0;
  }
  const path = resolve(args.file!);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    await write(io.stderr, `authlint send: cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
  const fail = async (message: string): Promise<number> => {
    await write(io.stderr, `authlint send: ${message}\n`);
    return 2;
  };
  const file = parseHttpFile(text, { markdown: /\.(md|markdown)$/i.test(path) });
  const block = pickBlock(file, args);
  if (typeof block === 'string') return fail(`${args.file}: ${block}`);

  const dir = dirname(path);
  let state: RunState;
  try {
    const sources = loadEnvironmentSources(dir);
    if (args.env !== undefined && !environmentNames(sources).includes(args.env)) {
      const known = environmentNames(sources);
      return fail(`no environment named "${args.env}" (${known.length ? `known: ${known.join(', ')}` : 'no http-client.env.json or rest-client.environmentVariables found'})`);
    }
    const options = { baseDir: dir, insecure: args.insecure, ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}), ...(sources.defaultHeaders ? { defaultHeaders: sources.defaultHeaders } : {}), interaction: cliInteraction(io.stderr) };
    state = prepareRun(file, sources, args.env, loadDotenv(dir, args.env), options);
  } catch (e) {
    return fail((e as Error).message);
  }

  const result = await sendBlock(state, block, (note) => write(io.stderr, `${args.file}:${note}\n`));
  if (result.kind === 'invalid') {
    for (const d of result.diagnoses) await write(io.stderr, `${'file' in d ? relative(process.cwd(), d.file) || d.file : args.file}:${d.line}: ${d.message}\n`);
    await write(io.stderr, `authlint send: the request was not sent (fix the line${result.diagnoses.length > 1 ? 's' : ''} above).\n`);
    return 2;
  }
  const report = result.kind === 'sent' ? buildReport(result.exchange) : result.kind === 'token-failed' ? tokenFailureReport(result.failure) : buildReport({ request: result.request, error: result.error, ...(result.warnings ? { warnings: result.warnings } : {}) });
  const body = result.kind === 'sent' ? bodyOf(result.exchange.response) : {};
  // Values from secret sources (private env files, $processEnv, $dotenv, secret prompts) are
  // hidden wherever they landed, like credentials.
  const opts = { showSecrets: args.showSecrets, secretValues: state.secretValues };
  const out = args.format === 'json' ? renderJson(report, opts) : args.format === 'html' ? renderHtml(report, body, opts) : renderText(report, body, opts);
  await write(io.stdout, out);
  return result.kind === 'sent' || (result.kind === 'token-failed' && result.failure.answered) ? 0 : 3;
}
