#!/usr/bin/env bash
# Called by .ci/run before `npm ci`: installs the integration suite's prerequisites.
set -euo pipefail
exec "$(dirname "$0")/setup-e2e.sh"
