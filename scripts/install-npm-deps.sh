#!/usr/bin/env bash
# Installs the npm packages the interop tests check us against, at the
# versions pinned in tests/interop/package-lock.json. Quick when present.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop"
[[ -f package.json ]] || exit 0
stamp=node_modules/.installed-lock
if [[ -f "$stamp" ]] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "install-npm-deps: npm ci in tests/interop"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
