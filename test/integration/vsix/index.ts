// extensionTestsPath of the second integration run: AuthLint comes from the packaged .vsix
// installed into code-server (the development extension is only test/integration/vsix-harness).
import * as path from 'path';
import { runSuite } from '../support/run-suite';

export function run(): Promise<void> {
  return runSuite([path.join(__dirname, 'vsix.test.js')]);
}
