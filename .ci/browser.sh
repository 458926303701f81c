#!/usr/bin/env bash
# Installs what the browser tests of the consent banner need: Debian's
# chromium (when missing) and axe-core (into a cache outside the work tree).
# Prints the environment for the tests, so use it as:
#   eval "$(bash .ci/browser.sh)" && go test ./assets/browsertest -run Browser
# Progress goes to stderr; only the export lines go to stdout.
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser.sh: installing chromium" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium >&2
fi

prefix="${XDG_CACHE_HOME:-$HOME/.cache}/integritet-npm"
axe="$prefix/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ]; then
  echo "browser.sh: installing axe-core 4 into $prefix" >&2
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --prefix "$prefix" axe-core@4 >&2
fi

echo "export INTEGRITET_AXE=$axe"
