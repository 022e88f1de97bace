// SARIF 2.1.0: one run, the rules with their help URI, one result per finding.
import { DOCS_BASE_URL, RULE_META } from '../../analysis/rule-meta';
import { RULE_IDS } from '../../analysis/types';
import type { LintReport } from '../lint';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(report: LintReport, version: string): string {
  const rules = RULE_IDS.map((id) => ({
    id,
    name: id,
    shortDescription: { text: RULE_META[id].summary },
    helpUri: DOCS_BASE_URL + RULE_META[id].docsPath,
    defaultConfiguration: { level: LEVEL[RULE_META[id].severity] },
    properties: { tags: ['http', 'authentication'], references: RULE_META[id].refs },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'AuthLint', informationUri: DOCS_BASE_URL, version, rules } },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: RULE_IDS.indexOf(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
        invocations: [
          {
            executionSuccessful: (report.unreadable ?? 0) === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'warning',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: e.file.split('\\').join('/') } } }],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
