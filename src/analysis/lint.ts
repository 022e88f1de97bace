// Entry point of the analysis core. (Temporary placeholder while the engine lands.)
import type { LintResult, LintSettings } from './types';

export function lintSource(_text: string, _fileName: string, _settings: LintSettings = {}): LintResult {
  return { findings: [] };
}
