// Writes an .http file and env files to a temporary folder and runs one request through the
// same runner `authlint send` uses.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironmentSources } from '../../../../src/http/environments';
import { buildReport, tokenFailureReport } from '../../../../src/http/explain';
import { parseHttpFile } from '../../../../src/http/http-file';
import { MemoryTokenStore, type Interaction } from '../../../../src/http/oauth';
import { renderJson, renderText } from '../../../../src/http/render-text';
import { pickBlock, prepareRun, sendBlock, type BlockResult, type RunState } from '../../../../src/http/run';
import type { Report } from '../../../../src/http/types';

export interface Project {
  dir: string;
  write(name: string, content: unknown): void;
  remove(): void;
}

export function project(files: Record<string, unknown> = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'authlint-oauth-'));
  const p: Project = {
    dir,
    write(name, content) {
      writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [k, v] of Object.entries(files)) p.write(k, v);
  return p;
}

export interface Ran {
  result: BlockResult;
  report?: Report;
  /** The report as `authlint send` prints it (secrets hidden). */
  text: string;
  json: string;
  notes: string[];
  state: RunState;
}

export async function run(p: Project, http: string, env: string | undefined, opts: { store?: MemoryTokenStore; interaction?: Interaction; name?: string } = {}): Promise<Ran> {
  p.write('req.http', http);
  const file = parseHttpFile(http);
  const block = pickBlock(file, opts.name !== undefined ? { name: opts.name } : {});
  if (typeof block === 'string') throw new Error(block);
  const state = prepareRun(file, loadEnvironmentSources(p.dir), env, undefined, { baseDir: p.dir, env: {}, timeoutMs: 10_000, tokenStore: opts.store ?? new MemoryTokenStore(), ...(opts.interaction ? { interaction: opts.interaction } : {}) });
  const notes: string[] = [];
  const result = await sendBlock(state, block, (n) => notes.push(n));
  let report: Report | undefined;
  if (result.kind === 'sent') report = buildReport(result.exchange);
  else if (result.kind === 'token-failed') report = tokenFailureReport(result.failure);
  else if (result.kind === 'failed') report = buildReport({ request: result.request, error: result.error });
  const shown = { showSecrets: false, secretValues: state.secretValues };
  return { result, ...(report ? { report } : {}), text: report ? renderText(report, {}, shown) : '', json: report ? renderJson(report, shown) : '', notes, state };
}
