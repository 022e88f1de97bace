// `authlint lsp --stdio | --node-ipc`: the language server (src/server) for any LSP editor. The
// server bundle (dist/server.js, with vscode-languageserver) and the engine are loaded only here.
import type { CliIo } from './lint';

export const LSP_USAGE = `Usage: authlint lsp --stdio | --node-ipc
Runs the AuthLint language server (Language Server Protocol) over standard input and output
(--stdio, for Neovim, Helix, Zed, Sublime Text...) or Node IPC (--node-ipc, VS Code).`;

export function runLsp(argv: string[], io: CliIo): Promise<number> | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(LSP_USAGE + '\n');
    return 0;
  }
  const transports = argv.filter((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='));
  const unknown = argv.filter((a) => !transports.includes(a) && !a.startsWith('--clientProcessId'));
  if (transports.length !== 1 || unknown.length > 0) {
    io.stderr.write(`authlint lsp: ${unknown.length ? `unknown option ${unknown[0]}` : 'name one transport: --stdio or --node-ipc'}\n${LSP_USAGE}\n`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = require('../server/main') as typeof import('../server/main');
  server.run();
  // the server ends the process itself (the client's `exit` notification or a closed stream)
  return new Promise<number>(() => undefined);
}
