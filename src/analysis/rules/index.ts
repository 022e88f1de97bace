// The ordered registry: the only list of rules anywhere.
import type { RuleId } from '../types';
import type { Rule } from '../rule';
import missingWwwAuthenticate from './missing-www-authenticate';
import forbiddenForMissingCredentials from './403-for-missing-credentials';
import unauthorizedForInsufficientPermission from './401-for-insufficient-permission';
import malformedWwwAuthenticate from './malformed-www-authenticate';
import bearerErrorStatusMismatch from './bearer-error-status-mismatch';
import missingProxyAuthenticate from './missing-proxy-authenticate';

export const RULES = [
  missingWwwAuthenticate,
  forbiddenForMissingCredentials,
  unauthorizedForInsufficientPermission,
  malformedWwwAuthenticate,
  bearerErrorStatusMismatch,
  missingProxyAuthenticate,
] satisfies Rule[];

export const RULES_BY_ID = new Map<RuleId, Rule>(RULES.map((r) => [r.id, r]));
