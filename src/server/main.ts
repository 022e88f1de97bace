// Entry of the language server (dist/server.js): `node dist/server.js --stdio | --node-ipc`, or
// `authlint lsp --stdio`. The transport comes from the command line (vscode-languageserver reads
// --stdio, --node-ipc, --socket=N, --pipe=NAME). The analysis engine is loaded when the first
// file needs a parse.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

export function run(): void {
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
  connection.listen();
}

if (require.main === module) run();
