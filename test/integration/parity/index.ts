// extensionTestsPath of the parity run: the workspace is a copy of test/fixtures/lsp-workspace
// (several packages whose findings depend on other files); then a folder deleted on disk, and a
// crash of the server.
import * as path from 'path';
import { runSuite } from '../support/run-suite';

export function run(): Promise<void> {
  return runSuite([path.join(__dirname, 'parity.test.js'), path.join(__dirname, 'folder-delete.test.js'), path.join(__dirname, 'restart.test.js')]);
}
