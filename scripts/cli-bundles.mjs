// The CLI as several bundles: dist/cli.js holds only the command line's dispatch (main.ts) and
// each command is a file of its own (cli-lint.js, cli-send.js, cli-explain.js, cli-mcp-check.js)
// that main.ts requires when that command runs. `authlint --help` then reads a few KB, and no
// command loads another's code or Node modules (http, tls, zlib... for send; the cache and the
// walk for lint). esbuild.mjs and the bench (scripts/bench/engine.mjs) build the same way.
import { join } from 'node:path';

export const CLI_COMMANDS = ['lint', 'send', 'explain', 'mcp-check', 'lsp'];

/** `require('./lint')` in src/cli/main.ts becomes `require('./cli-lint.js')`, left out of cli.js. */
export const commandsExternal = {
  name: 'cli-commands-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^\\./(${CLI_COMMANDS.join('|')})$`) }, (args) => {
      const from = args.importer.split('\\').join('/');
      if (args.kind === 'require-call' && from.endsWith('src/cli/main.ts')) return { path: `./cli-${args.path.slice(2)}.js`, external: true };
      return undefined;
    });
  },
};

/**
 * esbuild options for the CLI's bundles. `options` are the common ones (the engine's external
 * plugin and the defines included); `srcRoot` is the repository root, `outdir` where they go.
 */
export function cliTargets(options, { srcRoot = '.', outdir }) {
  const plugins = [commandsExternal, ...(options.plugins ?? [])];
  return [
    { ...options, plugins, entryPoints: [join(srcRoot, 'src', 'cli', 'main.ts')], outfile: join(outdir, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
    ...CLI_COMMANDS.map((c) => ({ ...options, plugins, entryPoints: [join(srcRoot, 'src', 'cli', `${c}.ts`)], outfile: join(outdir, `cli-${c}.js`) })),
  ];
}
