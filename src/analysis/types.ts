// Plain data shared by the analysis core, the CLI and the extension. No vscode here.

export const RULE_IDS = [
  'missing-www-authenticate',
  '403-for-missing-credentials',
  '401-for-insufficient-permission',
  'malformed-www-authenticate',
  'bearer-error-status-mismatch',
  'missing-proxy-authenticate',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'error' | 'warning' | 'info';
export type RuleLevel = Severity | 'off';

/** A replacement of the UTF-16 range [start, end) of the source text. */
export interface TextEdit {
  range: [number, number];
  text: string;
}

/** One quick fix; the first fix a finding offers is the preferred one. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedInfo {
  range: [number, number];
  message: string;
}

export interface Finding {
  ruleId: RuleId;
  messageId: string;
  message: string;
  severity: Severity;
  /** UTF-16 offsets [start, end) into the linted text. */
  range: [number, number];
  fixes: Fix[];
  related?: RelatedInfo[];
}

export interface LintSettings {
  /** Per-rule level; rules not named keep their default severity. */
  rules?: Partial<Record<RuleId, RuleLevel>>;
  /** The challenge a fix inserts, e.g. `Bearer realm="api"`. */
  defaultChallenge?: string;
  /** The Proxy-Authenticate challenge a fix inserts. */
  defaultProxyChallenge?: string;
  /** Files larger than this many characters are skipped with a message (default 2,000,000). */
  maxFileSize?: number;
}

export interface LintResult {
  findings: Finding[];
  /** Set when the file could not be parsed: the message says where and why. */
  error?: string;
  /** Set when the file was not analysed on purpose (too large, ...). */
  skipped?: string;
}
