#!/usr/bin/env bash
# The browser tests drive Debian's chromium through playwright-core (Playwright's own browser
# download cannot run on machines that reach only npm and apt). Installs it when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: no chromium on PATH and no apt-get; install Chromium and put 'chromium' on PATH" >&2
    exit 1
fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
run apt-get install -y -qq chromium >/dev/null 2>&1 || { run apt-get update -qq && run apt-get install -y -qq chromium; }
echo "install-chromium: installed $(command -v chromium)"
