// The shape of a rule, and what a rule sees when it runs.
import type { Node } from './ast';
import type { FileFacts } from './collect';
import type { Flow } from './flow';
import type { GuardClass } from './guards';
import type { Emission } from './model';
import { RULE_META } from './rule-meta';
import type { Fix, RelatedInfo, RuleId } from './types';

export interface Report {
  node: Node;
  messageId: string;
  message: string;
  fixes?: Array<Fix | undefined>;
  related?: RelatedInfo[];
}

export interface RuleContext {
  facts: FileFacts;
  flow: Flow;
  text: string;
  defaultChallenge: string;
  defaultProxyChallenge: string;
  guard(e: Emission): GuardClass;
  /**
   * Whether the guard's class holds on every path to the emission. False when only some call
   * sites of a helper ask it (the finding holds on those paths; a status swap would break the others).
   */
  guardOnEveryPath(e: Emission): boolean;
  report(r: Report): void;
}

export interface Rule {
  id: RuleId;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule & { meta: (typeof RULE_META)[RuleId] } {
  return { ...rule, meta: RULE_META[rule.id] };
}
