// extensionTestsPath of the editor-latency bench (scripts/bench/editor.mjs runs it through
// scripts/run-e2e.mjs; not part of `npm test`). The workspace holds the 2,000-line sample.
import * as path from 'path';
import { runSuite } from '../support/run-suite';

export function run(): Promise<void> {
  return runSuite([path.join(__dirname, 'latency.js')]);
}
