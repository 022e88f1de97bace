// The `authlint` command: lint, send, explain.
import { runExplain } from './explain';
import { runLint } from './lint';
import { runLsp } from './lsp';
import { runMcpCheck } from './mcp-check';
import { runSend } from './send';

declare const AUTHLINT_VERSION: string | undefined;
const VERSION = typeof AUTHLINT_VERSION === 'string' ? AUTHLINT_VERSION : '0.1.0';

const USAGE = `authlint ${VERSION}: HTTP authentication linter and auth-failure explainer

  authlint lint [PATH...] [--format text|json|sarif] [--fix] [--config FILE]
                [--cache] [--cache-location DIR] [--max-warnings N] [--quiet]
  authlint send FILE.http [--name NAME | --line N] [--env NAME] [--format text|json|html]
                [--timeout MS] [--insecure] [--show-secrets]
  authlint explain [--request RAW_REQUEST_FILE] [--format text|json|html] < RAW_RESPONSE
  authlint mcp-check URL [--format text|json|html] [--timeout MS] [--insecure]
  authlint lsp --stdio | --node-ipc
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  switch (cmd) {
    case 'lint':
      return runLint(rest, io, VERSION);
    case 'send':
      return runSend(rest, io);
    case 'explain':
      return runExplain(rest, io);
    case 'mcp-check':
      return runMcpCheck(rest, io);
    case 'lsp':
      return runLsp(rest, io);
    case '--version':
    case '-v':
      io.stdout.write(VERSION + '\n');
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      io.stderr.write(`authlint: unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`authlint: internal error: ${(err as Error)?.stack ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
