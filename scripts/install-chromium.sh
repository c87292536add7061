#!/usr/bin/env bash
# Makes sure the headless Chromium the browser tests drive is installed: Debian's chromium package
# (playwright-core's own browser download cannot work offline). Installs it with apt-get when missing and
# running as root; otherwise says what to install. Progress goes to stderr.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$chromium" ]] && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$chromium is missing: install Debian's chromium package (apt-get install -y chromium) for the browser tests." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >&2 || { apt-get update -q >&2 && apt-get install -y -q chromium >&2; }
