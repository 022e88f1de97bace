// SARIF 2.1.0: one run. Files under the current folder are `%SRCROOT%`-relative (the base given
// in originalUriBaseIds), others absolute file:// URIs; every URI percent-encoded. Rules have a
// PascalCase `name` besides their id; results carry line-independent partialFingerprints and,
// when fixable, their fixes.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOCS_BASE_URL, RULE_META } from '../../analysis/rule-meta';
import { RULE_IDS, type RuleId } from '../../analysis/types';
import type { CliFinding, LintReport } from '../lint';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A name for each rule that is not its id (SARIF1001), readable in code-scanning UIs. */
export const SARIF_RULE_NAMES: Record<RuleId, string> = {
  'missing-www-authenticate': 'MissingWwwAuthenticate',
  '403-for-missing-credentials': 'ForbiddenForMissingCredentials',
  '401-for-insufficient-permission': 'UnauthorizedForInsufficientPermission',
  'malformed-www-authenticate': 'MalformedWwwAuthenticate',
  'bearer-error-status-mismatch': 'BearerErrorStatusMismatch',
  'missing-proxy-authenticate': 'MissingProxyAuthenticate',
};

type ArtifactLocation = { uri: string; uriBaseId?: string };

/** The artifact location of a file: relative to %SRCROOT% when under `root`, else absolute. */
export function artifactLocation(file: string, root: string): ArtifactLocation {
  const abs = resolve(root, file);
  const rel = relative(root, abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeSegment).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

/** Percent-encodes one path segment: RFC 3986 unreserved characters and sub-delims kept. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : href + '/';
}

/** A fingerprint that ignores line numbers: rule, file, flagged text and its line, occurrence. */
function fingerprints(findings: CliFinding[], root: string): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${f.ruleId}\0${relative(root, resolve(root, f.file)).split(sep).join('/')}\0${(f.snippet ?? f.message).replace(/\s+/g, ' ')}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 32);
  });
}

export function formatSarif(report: LintReport, version: string, root: string = process.cwd()): string {
  const rules = RULE_IDS.map((id) => ({
    id,
    name: SARIF_RULE_NAMES[id],
    shortDescription: { text: RULE_META[id].summary },
    fullDescription: { text: `${RULE_META[id].summary} (${RULE_META[id].refs.join(', ')})` },
    helpUri: DOCS_BASE_URL + RULE_META[id].docsPath,
    help: { text: `${RULE_META[id].summary} See ${DOCS_BASE_URL + RULE_META[id].docsPath}` },
    defaultConfiguration: { level: LEVEL[RULE_META[id].severity] },
    properties: { tags: ['http', 'authentication', 'security'], references: RULE_META[id].refs },
  }));
  const prints = fingerprints(report.findings, root);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'AuthLint', informationUri: DOCS_BASE_URL, version, semanticVersion: version, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri(root) } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f, k) => {
          const loc = artifactLocation(f.file, root);
          return {
            ruleId: f.ruleId,
            ruleIndex: RULE_IDS.indexOf(f.ruleId),
            level: LEVEL[f.severity],
            message: { text: sentence(f.message) },
            locations: [{ physicalLocation: { artifactLocation: loc, region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } } }],
            partialFingerprints: { 'authlintFindingHash/v1': prints[k] },
            ...(f.fixes?.length
              ? {
                  fixes: f.fixes.map((x) => ({
                    description: { text: sentence(x.title) },
                    artifactChanges: [
                      {
                        artifactLocation: loc,
                        replacements: x.edits.map((e) => ({
                          deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                          insertedContent: { text: e.text },
                        })),
                      },
                    ],
                  })),
                }
              : {}),
          };
        }),
        invocations: [
          {
            executionSuccessful: (report.unreadable ?? 0) === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'warning',
              message: { text: sentence(e.message) },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file, root) } }],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** SARIF messages are sentences: end with a period (SARIF2001). */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : t + '.';
}
