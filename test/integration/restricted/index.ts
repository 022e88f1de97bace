// extensionTestsPath of the Restricted Mode run (Workspace Trust on, folder not trusted).
import * as path from 'path';
import { runSuite } from '../support/run-suite';

export function run(): Promise<void> {
  return runSuite([path.join(__dirname, 'restricted.test.js')]);
}
