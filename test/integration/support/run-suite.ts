// Shared by the suites that run inside VS Code: mocha with a JSON summary for the runner.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { notes } from './notes';

export function runSuite(files: string[]): Promise<void> {
  const resultsFile = process.env.AUTHLINT_E2E_RESULTS || path.join(os.tmpdir(), 'authlint-e2e-results.json');
  const grep = process.env.AUTHLINT_E2E_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'dot', ...(grep ? { grep } : {}) });
  for (const f of files) mocha.addFile(f);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const summary = {
        passed: runner.stats?.passes ?? 0,
        failed: failures,
        vscode: `${vscode.env.appName} ${vscode.version}`,
        lines,
        notes,
      };
      fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
      console.log(`AUTHLINT suite: ${summary.passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    // One line per finished test on the console as well: the runner forwards lines starting with
    // AUTHLINT, so `npm test` shows progress while the suite runs.
    runner.on('pass', (t) => {
      lines.push(`ok   ${t.fullTitle()}`);
      console.log(`AUTHLINT ok   ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t, err: Error) => {
      lines.push(`FAIL ${t.fullTitle()}: ${err?.message ?? err}\n       ${(err?.stack ?? '').split('\n').slice(1, 4).join('\n       ')}`);
      console.log(`AUTHLINT FAIL ${t.fullTitle()}: ${String(err?.message ?? err).split('\n')[0]}`);
    });
    runner.on('pending', (t) => lines.push(`skip ${t.fullTitle()}`));
  });
}
