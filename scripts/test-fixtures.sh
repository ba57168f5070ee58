#!/bin/sh
# Installs the test peers pinned in src/test/npm (real MCP servers from the npm registry) into
# .cache/test-fixtures. Idempotent: reinstalls only when the lock file changed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/test-fixtures"
src="$root/src/test/npm"
command -v npm >/dev/null 2>&1 || { echo "test-fixtures: npm (Node.js >= 20) is needed to install the MCP test servers" >&2; exit 1; }
mkdir -p "$dest"
if [ ! -d "$dest/node_modules" ] || ! cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
  echo "test-fixtures: installing MCP test servers into $dest" >&2
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
fi
