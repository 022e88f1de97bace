#!/usr/bin/env bash
# Installs what the in-VS-Code integration suite needs: Debian's chromium (headless workbench),
# ripgrep and libkrb5-dev (for code-server's install), neovim (the unit test of the language server
# in another editor), and code-server 4.100.3 = VS Code 1.100.3,
# pinned by test/integration/code-server/package-lock.json and installed outside the repository
# (walking 300 MB of it would slow vsce and every tool that lists the tree) into
# ${AUTHLINT_E2E_CACHE:-${XDG_CACHE_HOME:-~/.cache}/authlint-e2e}/code-server; scripts/run-e2e.mjs
# and test/integration/runTest.ts look there too. Idempotent: when everything is present it
# only compares the lock file and returns.
set -euo pipefail
cd "$(dirname "$0")/.."
pin=test/integration/code-server
dest="${AUTHLINT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/authlint-e2e}/code-server"
export DEBIAN_FRONTEND=noninteractive

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v nvim >/dev/null || need+=(neovim)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-e2e: missing ${need[*]}; install them (apt-get install ${need[*]}) or run this as root" >&2
    exit 1
  fi
  echo "setup-e2e: apt-get install ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ -x "$dest/node_modules/.bin/code-server" ] && cmp -s "$pin/package-lock.json" "$dest/package-lock.json"; then
  echo "setup-e2e: code-server already installed in $dest"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless this cache file exists:
# seed it with Debian's rg.
rgcache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache"
tar czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# Native modules compile against the installed Node's headers (no header download).
if [ -z "${npm_config_nodedir:-}" ]; then
  nodeinc="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$nodeinc/include/node/node.h" ] && export npm_config_nodedir="$nodeinc"
fi

echo "setup-e2e: installing code-server into $dest (about a minute, native modules compile)"
rm -rf "$dest"
mkdir -p "$dest"
cp "$pin/package.json" "$pin/package-lock.json" "$pin/.npmrc" "$dest/"
# unsafe-perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall
# runs `npx node-gyp`, which a user npmrc with yes=false would cancel.
(cd "$dest" && npm_config_unsafe_perm=true npm_config_yes=true npm ci --no-audit --no-fund --loglevel=error)
echo "setup-e2e: code-server $(node -p 'require(process.argv[1]).version' "$dest/node_modules/code-server/package.json") installed in $dest"
