// Reads the editor's own `authlint.*` settings (CodeLens, the request runner). The lint settings
// (`authlint.rules`, challenges, size limit, debounce) are read by the language server, which
// pulls the `authlint` section and reads `authlint.config.json` itself.
import * as vscode from 'vscode';

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('authlint', scope);
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
