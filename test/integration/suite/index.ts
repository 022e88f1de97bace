// Loaded by VS Code's extension host through extensionTestsPath; VS Code awaits run().
// Runs every *.test.js beside this file with mocha and writes a JSON summary to
// AUTHLINT_E2E_RESULTS (read by scripts/run-e2e.mjs and test/integration/runTest.ts).
import * as fs from 'fs';
import * as path from 'path';
import { runSuite } from '../support/run-suite';

export function run(): Promise<void> {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  return runSuite(files.map((f) => path.join(__dirname, f)));
}
