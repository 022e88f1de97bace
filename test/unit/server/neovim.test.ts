// Another editor: Neovim's built-in LSP client (Debian's `neovim`), headless, started on
// `authlint lsp --stdio` for an Express file of the parity workspace. It reads
// vim.diagnostic.get(), asks for the code actions of the first finding and applies the preferred
// one to the buffer (the file is not saved); the findings must be the CLI's and the buffer the
// text the CLI's preferred fix gives.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliFindings, cliPath, cliPreferredFix, copyFixture, fromCli } from './lsp-client';

const LUA = String.raw`
local out = os.getenv('AUTHLINT_OUT')
local function finish(result)
  local f = io.open(out, 'w')
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd('qall!')
end
local ok, err = pcall(function()
  local file, root = os.getenv('AUTHLINT_FILE'), os.getenv('AUTHLINT_ROOT')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'typescript'
  local config = {
    name = 'authlint',
    cmd = { os.getenv('AUTHLINT_NODE'), os.getenv('AUTHLINT_CLI'), 'lsp', '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else -- Neovim 0.7
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  local waited = vim.wait(40000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  -- the first diagnostics may be provisional (the file's own facts, before its package is
  -- indexed): authlint/status says ready once the package's diagnostics are published
  local client = vim.lsp.get_client_by_id(client_id)
  local ready = false
  for _ = 1, 800 do
    local st = client.request_sync('authlint/status', {}, 10000, bufnr)
    if st and st.result and st.result.ready then ready = true break end
    vim.wait(50)
  end
  if not ready then error('the server never said ready') end
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(diagnostics, { lnum = d.lnum, col = d.col, message = d.message, code = d.code or lsp.code, source = d.source or lsp.source })
  end
  table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  local first = vim.diagnostic.get(bufnr)[1]
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.lnum < first.lnum then first = d end
  end
  -- the LSP diagnostic again (Neovim 0.7 keeps only the fields it has no place for in user_data.lsp)
  local extra = first.user_data and first.user_data.lsp or {}
  local lsp = {
    range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.end_lnum, character = first.end_col } },
    message = first.message, severity = first.severity, source = first.source or extra.source,
    code = first.code or extra.code, codeDescription = extra.codeDescription, data = extra.data,
  }
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = lsp.range, context = { diagnostics = { lsp } } }
  local resp = client.request_sync('textDocument/codeAction', params, 30000, bufnr)
  local titles, preferred = {}, nil
  for _, a in ipairs(resp.result or {}) do
    table.insert(titles, a.title)
    if a.isPreferred and not preferred then preferred = a end
  end
  if not preferred then error("no preferred action: " .. vim.inspect(resp) .. " for " .. vim.inspect(lsp)) end
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding or 'utf-16')
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  finish({ ok = true, waited = waited, diagnostics = diagnostics, titles = titles, preferred = preferred.title, text = table.concat(lines, '\n') .. '\n', modified = vim.bo[bufnr].modified })
end)
if not ok then finish({ ok = false, error = tostring(err) }) end
`;

function hasNvim(): boolean {
  return spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
}

describe('language server in Neovim (built-in LSP client, headless)', function () {
  this.timeout(90000);
  it('shows the CLI findings for an Express file and applies the preferred quick fix to the buffer', function () {
    if (!fs.existsSync(cliPath)) this.skip();
    if (!hasNvim()) {
      console.log('      (skipped: `nvim` is not on PATH; install Debian\'s neovim package to run this test)');
      this.skip();
    }
    const dir = copyFixture('lsp-workspace');
    try {
      const rel = 'billing/src/session.ts';
      const file = path.join(dir, rel);
      const original = fs.readFileSync(file, 'utf8');
      const script = path.join(dir, 'init.lua');
      const out = path.join(dir, 'result.json');
      fs.writeFileSync(script, LUA);
      const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-u', 'NONE', '-c', `luafile ${script}`], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 80000,
        env: { ...process.env, AUTHLINT_OUT: out, AUTHLINT_FILE: file, AUTHLINT_ROOT: dir, AUTHLINT_CLI: cliPath, AUTHLINT_NODE: process.execPath, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      });
      assert.ok(fs.existsSync(out), `Neovim wrote no result (status ${r.status}): ${r.stderr} ${r.stdout}`);
      const res = JSON.parse(fs.readFileSync(out, 'utf8')) as { ok: boolean; error?: string; waited: boolean; diagnostics: Array<{ lnum: number; col: number; message: string; code: string; source: string }>; titles: string[]; preferred: string; text: string; modified: boolean };
      assert.ok(res.ok, res.error);
      // the same findings as `authlint lint` on the folder (the file is ASCII: byte columns are UTF-16 columns)
      const fromNvim = res.diagnostics.map((d) => `${d.code} ${d.lnum + 1}:${d.col + 1} ${d.message}`);
      const expected = fromCli(cliFindings(dir), dir, file);
      assert.ok(expected.length > 0);
      assert.deepEqual(fromNvim, expected);
      assert.ok(res.diagnostics.every((d) => d.source === 'authlint'));
      assert.ok(res.titles.includes('Disable missing-www-authenticate for this line'), res.titles.join(', '));
      // the buffer holds the CLI's preferred fix; the file on disk is untouched
      const first = res.diagnostics[0]!;
      assert.equal(res.text, cliPreferredFix(dir, rel, first.code, first.lnum + 1, original));
      assert.notEqual(res.text, original);
      assert.equal(res.modified, true);
      assert.equal(fs.readFileSync(file, 'utf8'), original);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
