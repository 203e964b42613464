# shellcheck shell=bash
# Sourced by build.sh before the tests run. Makes a headless Chromium available to tests/Aicmo.Sdk.AspNetCore.Browser.Tests
# (Playwright for .NET drives it; Playwright downloads no browser) through AICMO_CHROMIUM_PATH, the browser's executable:
#   - when AICMO_CHROMIUM_PATH is already set to an executable, it is used as is;
#   - otherwise Debian's chromium is used, installed with apt-get when missing (as root, or through sudo when it asks no password).
# Can also be sourced by hand: `source .ci/services.d/chromium.sh`. Nothing is left running: each test class starts and stops
# its own browser.

_aicmo_chromium_log() { printf '==> chromium: %s\n' "$*" >&2; }

_aicmo_chromium_find() {
  local candidate
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then
      printf '%s' "$candidate"
      return 0
    fi
  done
  return 1
}

_aicmo_chromium_install() {
  local run=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      run=(sudo -n)
    else
      _aicmo_chromium_log "chromium is missing and this user cannot install packages; the browser tests will fail under CI=true"
      return 1
    fi
  fi
  _aicmo_chromium_log "installing Debian's chromium"
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
}

_aicmo_chromium_start() {
  if [ -n "${AICMO_CHROMIUM_PATH:-}" ] && [ -x "$AICMO_CHROMIUM_PATH" ]; then
    _aicmo_chromium_log "using $AICMO_CHROMIUM_PATH from AICMO_CHROMIUM_PATH"
    return 0
  fi
  local path
  if ! path="$(_aicmo_chromium_find)"; then
    _aicmo_chromium_install || return 0
    path="$(_aicmo_chromium_find)" || { _aicmo_chromium_log "chromium is still missing after apt-get install"; return 0; }
  fi
  export AICMO_CHROMIUM_PATH="$path"
  _aicmo_chromium_log "using $path ($("$path" --version 2>/dev/null || echo 'version unknown'))"
}

_aicmo_chromium_start
