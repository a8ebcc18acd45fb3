#!/usr/bin/env bash
# ensure-chromium.sh: make sure a chromium browser is installed for the
# corpus browser's test (ui/browser_test.go drives it with chromedp),
# installing Debian's `chromium` package when it is missing. The test skips,
# with a message, on a machine that has none; BIGMATH_CHROMIUM names another
# browser binary. Never fails the caller: without a package manager it warns.
set -euo pipefail

have_chromium() {
  if [ -n "${BIGMATH_CHROMIUM:-}" ] && [ -x "${BIGMATH_CHROMIUM}" ]; then return 0; fi
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

if have_chromium; then exit 0; fi

sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
echo "ensure-chromium: no chromium found; installing it from the OS packages (for the browser test)" >&2
if command -v apt-get >/dev/null 2>&1; then
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null ||
    echo "ensure-chromium: installing chromium failed; the browser test will be skipped" >&2
elif command -v dnf >/dev/null 2>&1; then
  $sudo dnf install -y chromium || echo "ensure-chromium: installing chromium failed; the browser test will be skipped" >&2
elif command -v apk >/dev/null 2>&1; then
  $sudo apk add --no-cache chromium || echo "ensure-chromium: installing chromium failed; the browser test will be skipped" >&2
else
  echo "ensure-chromium: no known package manager: install chromium (or set BIGMATH_CHROMIUM) to run the browser test" >&2
fi
have_chromium || echo "ensure-chromium: chromium still not found; the browser test will be skipped" >&2
exit 0
