// Reads the `authlint.*` configuration into plain data for the core (which never reads
// configuration itself).
import * as vscode from 'vscode';
import { RULE_IDS, type LintSettings, type RuleId, type RuleLevel } from '../analysis/types';

const LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

export const DEFAULT_CHALLENGE = 'Bearer realm="api"';
export const DEFAULT_PROXY_CHALLENGE = 'Basic realm="proxy"';

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('authlint', scope);
}

export function lintSettings(scope?: vscode.ConfigurationScope): LintSettings {
  const c = config(scope);
  const raw = c.get<Record<string, unknown>>('rules') ?? {};
  const rules: Partial<Record<RuleId, RuleLevel>> = {};
  for (const id of RULE_IDS) {
    const level = raw[id];
    if (typeof level === 'string' && (LEVELS as readonly string[]).includes(level)) {
      rules[id] = level as RuleLevel;
    }
  }
  return {
    rules,
    defaultChallenge: c.get<string>('defaultChallenge') || DEFAULT_CHALLENGE,
    defaultProxyChallenge: c.get<string>('defaultProxyChallenge') || DEFAULT_PROXY_CHALLENGE,
    maxFileSize: positive(c.get<number>('lint.maxFileSize'), 2_000_000),
  };
}

export interface EditorSettings {
  debounceMs: number;
  codeLens: boolean;
}

export function editorSettings(scope?: vscode.ConfigurationScope): EditorSettings {
  const c = config(scope);
  return {
    debounceMs: Math.max(0, c.get<number>('lint.debounceMs') ?? 300),
    codeLens: c.get<boolean>('codeLens.enabled') ?? true,
  };
}

export interface RunnerSettings {
  timeoutMs: number;
  showSecrets: boolean;
  /** Environment name -> variables, as in REST Client (`$shared` applies to all). */
  environments: Record<string, Record<string, string>>;
  environment: string;
}

export function runnerSettings(scope?: vscode.ConfigurationScope): RunnerSettings {
  const c = config(scope);
  return {
    timeoutMs: positive(c.get<number>('request.timeout'), 10_000),
    showSecrets: c.get<boolean>('showSecrets') ?? false,
    environments: c.get<Record<string, Record<string, string>>>('environments') ?? {},
    environment: c.get<string>('environment') ?? '',
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
