#!/usr/bin/env bash
# Install the system packages the tests need, when missing: Debian packages
# (Chromium for browser tests, WeasyPrint's libraries, poppler, Java for the
# Nu HTML checker) and the npm packages in package.json (vnu-jar).
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v java >/dev/null || missing+=(default-jre-headless)  # the Nu HTML checker runs on Java
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: missing Debian packages (${missing[*]}); browser/PDF tests will skip" >&2
  fi
fi
if [ -f package.json ] && command -v npm >/dev/null; then
  if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null && touch node_modules
  fi
fi
