#!/bin/sh
# Installs the test peers pinned in src/test/npm (real MCP servers from the npm registry) into
# .cache/test-fixtures. Idempotent: reinstalls only when the lock file changed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/test-fixtures"
src="$root/src/test/npm"
if ! command -v npm >/dev/null 2>&1; then
  # A fresh Debian/Ubuntu machine: install Node.js and npm from the distribution when we may.
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test-fixtures: installing nodejs and npm with apt-get" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >&2 || true
  fi
  command -v npm >/dev/null 2>&1 || {
    echo "test-fixtures: npm (Node.js >= 20) is needed to install the MCP test servers; install nodejs and npm" >&2
    exit 1
  }
fi
mkdir -p "$dest"
if [ ! -d "$dest/node_modules" ] || ! cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
  echo "test-fixtures: installing MCP test servers into $dest" >&2
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
fi
