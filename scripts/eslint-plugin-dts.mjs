// Writes dist/eslint-plugin.d.ts, the types of `authlint/eslint-plugin`, from the plugin just
// built: the rule ids come from dist/eslint-plugin.js itself, so the declaration cannot drift
// from what ships. The types are ESLint's own (`eslint` is the user's peer dependency).
// test/unit/cli/package-install.test.ts type-checks a flat config with it using tsc.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export function writePluginTypes(distDir) {
  const file = resolve(distDir, 'eslint-plugin.js');
  const require = createRequire(file);
  delete require.cache[file];
  const plugin = require(file);
  const ids = Object.keys(plugin.rules);
  if (ids.length === 0 || !plugin.configs?.recommended) throw new Error('dist/eslint-plugin.js has no rules or no recommended config');
  const dts = `// Types of \`authlint/eslint-plugin\` (ESLint 9 flat config). Generated at build by
// scripts/eslint-plugin-dts.mjs from dist/eslint-plugin.js.
import type { ESLint, Linter, Rule } from 'eslint';

declare namespace authlint {
  /** The AuthLint rules; in a configuration they are \`authlint/<id>\`. */
  type RuleId = ${ids.map((id) => JSON.stringify(id)).join(' | ')};
  /** A rule as configured: \`authlint/missing-www-authenticate\`, ... */
  type RuleName = \`authlint/\${RuleId}\`;
}

declare const authlint: {
  meta: { name: 'authlint'; version: string };
  rules: Record<authlint.RuleId, Rule.RuleModule>;
  configs: {
    /** Every rule on: \`error\` for the rules whose default severity is error, \`warn\` for the others. */
    recommended: Linter.Config & { name: 'authlint/recommended'; plugins: { authlint: ESLint.Plugin }; rules: Record<authlint.RuleName, Linter.RuleSeverity> };
  };
};

export = authlint;
`;
  writeFileSync(join(distDir, 'eslint-plugin.d.ts'), dts);
  return ids;
}
