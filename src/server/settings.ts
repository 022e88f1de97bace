// The `authlint` section a client sends (workspace/configuration or didChangeConfiguration):
// the keys of the VS Code settings (`authlint.rules`, `authlint.defaultChallenge`,
// `authlint.lint.debounceMs`, ...), as nested objects (`{ lint: { debounceMs } }`) or dotted keys.
// A value equal to the built-in default does not override `authlint.config.json`: clients such as
// VS Code send every key with its default filled in, and the configuration file must still win.
import { RULE_META } from '../analysis/rule-meta';
import { RULE_IDS, type LintSettings, type RuleId, type RuleLevel } from '../analysis/types';

export const DEFAULT_CHALLENGE = 'Bearer realm="api"';
export const DEFAULT_PROXY_CHALLENGE = 'Basic realm="proxy"';
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;
export const DEFAULT_DEBOUNCE_MS = 300;

const LEVELS: readonly string[] = ['off', 'info', 'warning', 'error'];

export interface ClientSettings {
  /** Overrides of the configuration file (only values that differ from the defaults). */
  overrides: LintSettings;
  debounceMs: number;
}

function get(section: Record<string, unknown>, dotted: string): unknown {
  if (dotted in section) return section[dotted];
  let v: unknown = section;
  for (const part of dotted.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

export function parseClientSettings(raw: unknown): ClientSettings {
  const section = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const overrides: LintSettings = {};
  const rules: Partial<Record<RuleId, RuleLevel>> = {};
  const rawRules = get(section, 'rules');
  if (rawRules && typeof rawRules === 'object') {
    for (const id of RULE_IDS) {
      const level = (rawRules as Record<string, unknown>)[id];
      if (typeof level === 'string' && LEVELS.includes(level) && level !== RULE_META[id].severity) rules[id] = level as RuleLevel;
    }
  }
  if (Object.keys(rules).length) overrides.rules = rules;
  const challenge = get(section, 'defaultChallenge');
  if (typeof challenge === 'string' && challenge && challenge !== DEFAULT_CHALLENGE) overrides.defaultChallenge = challenge;
  const proxy = get(section, 'defaultProxyChallenge');
  if (typeof proxy === 'string' && proxy && proxy !== DEFAULT_PROXY_CHALLENGE) overrides.defaultProxyChallenge = proxy;
  const max = get(section, 'lint.maxFileSize');
  if (typeof max === 'number' && Number.isFinite(max) && max > 0 && max !== DEFAULT_MAX_FILE_SIZE) overrides.maxFileSize = max;
  const delay = get(section, 'lint.debounceMs') ?? get(section, 'lintDelay');
  const debounceMs = typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? Math.min(delay, 60_000) : DEFAULT_DEBOUNCE_MS;
  return { overrides, debounceMs };
}
