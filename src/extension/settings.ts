// Reads the `authlint.*` configuration and `authlint.config.json` into plain data for the core
// (which never reads configuration itself).
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { RULE_IDS, type LintSettings, type RuleId, type RuleLevel } from '../analysis/types';
import { ConfigError, findConfigFile, loadConfigFile, toLintSettings, type AuthlintConfig } from '../config/config';

const LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

export const DEFAULT_CHALLENGE = 'Bearer realm="api"';
export const DEFAULT_PROXY_CHALLENGE = 'Basic realm="proxy"';

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('authlint', scope);
}

/**
 * The engine's settings for a document: its `authlint.config.json` (the file the CLI and the
 * ESLint plugin read), with the `authlint.*` settings a user set explicitly on top.
 */
export function lintSettings(scope?: vscode.ConfigurationScope): LintSettings {
  const c = config(scope);
  const rules: Partial<Record<RuleId, RuleLevel>> = {};
  const rawRules = explicit<Record<string, unknown>>(c, 'rules', true) ?? {};
  for (const id of RULE_IDS) {
    const level = rawRules[id];
    if (typeof level === 'string' && (LEVELS as readonly string[]).includes(level)) rules[id] = level as RuleLevel;
  }
  const overrides: LintSettings = { rules };
  const challenge = explicit<string>(c, 'defaultChallenge');
  if (challenge) overrides.defaultChallenge = challenge;
  const proxy = explicit<string>(c, 'defaultProxyChallenge');
  if (proxy) overrides.defaultProxyChallenge = proxy;
  const max = explicit<number>(c, 'lint.maxFileSize');
  if (typeof max === 'number' && Number.isFinite(max) && max > 0) overrides.maxFileSize = max;
  const merged = toLintSettings(configFileOf(scope), overrides);
  return {
    rules: merged.rules ?? {},
    defaultChallenge: merged.defaultChallenge || DEFAULT_CHALLENGE,
    defaultProxyChallenge: merged.defaultProxyChallenge || DEFAULT_PROXY_CHALLENGE,
    maxFileSize: merged.maxFileSize ?? 2_000_000,
  };
}

/** A setting's value where the user set it (folder over workspace over user); objects merge. */
function explicit<T>(c: vscode.WorkspaceConfiguration, key: string, merge = false): T | undefined {
  const i = c.inspect<T>(key);
  if (!i) return undefined;
  const layers = [i.globalValue, i.workspaceValue, i.workspaceFolderValue].filter((v): v is T => v !== undefined);
  if (layers.length === 0) return undefined;
  if (merge) return Object.assign({}, ...layers) as T;
  return layers[layers.length - 1];
}

const reported = new Set<string>();

/** The configuration file of a document on disk; an invalid one is shown once and ignored. */
function configFileOf(scope?: vscode.ConfigurationScope): AuthlintConfig | undefined {
  const uri = scope instanceof vscode.Uri ? scope : undefined;
  if (!uri || uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  try {
    const file = findConfigFile(uri.fsPath, folder ?? dirname(uri.fsPath));
    return file ? loadConfigFile(file).config : undefined;
  } catch (err) {
    const message = err instanceof ConfigError ? `AuthLint: invalid configuration ${err.message}` : `AuthLint: ${(err as Error).message}`;
    if (!reported.has(message)) {
      reported.add(message);
      void vscode.window.showWarningMessage(`${message}. The file is ignored until it is fixed.`);
    }
    return undefined;
  }
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
