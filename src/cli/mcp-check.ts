// `authlint mcp-check URL [--format text|json|html] [--timeout MS] [--insecure]`
// Exit 0 no step failed, 1 a step failed, 2 usage error, 3 the server could not be reached.

import { mcpCheck } from '../http/mcp-check';
import { mcpHtml, mcpJson, mcpText } from '../http/mcp-check-render';
import { eachArg, transportFlag, usageError, write } from './io';

export const MCP_CHECK_USAGE = `Usage: authlint mcp-check URL [--format text|json|html] [--timeout MS] [--insecure]

Walks the discovery an MCP client performs from an unauthenticated request and says which
step breaks: challenge, resource-metadata, resource-match, authorization-server-metadata,
issuer-match, pkce, registration. --timeout applies to each request (default 10000).
Exit codes: 0 no step failed, 1 a step failed, 2 usage error, 3 the server could not be reached.
`;

interface Args {
  url?: string;
  format: 'text' | 'json' | 'html';
  timeoutMs: number;
  insecure: boolean;
  help: boolean;
}

export function parseMcpCheckArgs(argv: string[]): Args | string {
  const out: Args = { format: 'text', timeoutMs: 10_000, insecure: false, help: false };
  const error = eachArg(argv, (flag, value, a) => {
    const transport = transportFlag(flag, value, out);
    if (transport !== false) return transport;
    switch (flag) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'html') return `--format must be text, json or html (got ${v ?? 'nothing'})`;
        out.format = v;
        return undefined;
      }
      case '-h':
      case '--help':
        out.help = true;
        return undefined;
      default:
        if (a.startsWith('-')) return `unknown option: ${a}`;
        if (out.url !== undefined) return `only one URL can be checked, got ${out.url} and ${a}`;
        out.url = a;
        return undefined;
    }
  });
  if (error !== undefined) return error;
  if (out.help) return out;
  if (out.url === undefined) return 'the URL of the MCP server is required';
  let u: URL;
  try {
    u = new URL(out.url);
  } catch {
    return `not an absolute URL: ${out.url}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `the URL must be http: or https: (MCP's Streamable HTTP transport), not ${u.protocol}`;
  return out;
}

export async function runMcpCheck(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const args = parseMcpCheckArgs(argv);
  if (typeof args === 'string') return usageError(io.stderr, 'mcp-check', args, MCP_CHECK_USAGE);
  if (args.help) {
    await write(io.stdout, MCP_CHECK_USAGE);
    return 0;
  }
  const { report, unreachable } = await mcpCheck(args.url!, { timeoutMs: args.timeoutMs, insecure: args.insecure });
  await write(io.stdout, args.format === 'json' ? mcpJson(report) : args.format === 'html' ? mcpHtml(report) : mcpText(report));
  if (unreachable) return 3;
  return report.steps.some((s) => s.ok === false) ? 1 : 0;
}
