#!/usr/bin/env bash
# Installs code-server (VS Code in a browser, with a real Node extension host) into .tools/code-server
# for the extension-host and browser tests and for `npm start` without a desktop VS Code.
#
# A plain `npm install code-server` fails on many machines (install scripts download things,
# a ~/.npmrc with yes=false breaks node-pty's build, asar paths are missing), so this installs it
# step by step: the steps below say why each one is there. Idempotent: a marker file makes a
# second run instant. Downloads go through npm's cache, so a reinstall is fast.
#
# It takes 1–3 minutes on a warm npm cache, up to ~10 on a busy 2-core machine, and ~300 MB in
# .tools/code-server. The compilers' and npm's output goes to .tools/logs/setup-code-server.log;
# the terminal gets one line per step. Expected lines in that log, which are harmless:
#   - "prebuild-install … ENOTFOUND": native modules try to download a prebuilt binary first and,
#     without internet access to GitHub, are compiled from source instead;
#   - "packages have install scripts not yet covered by allowScripts": npm's notice about the
#     install scripts this script runs on purpose (node-pty, spdlog, kerberos…).
#
# System packages (Debian/Ubuntu) it needs and installs with apt-get when run as root or with
# passwordless sudo, after saying what and why; NOCODO_NO_APT=1 prints the command and stops.
#
#   scripts/setup-code-server.sh           install if needed, print the code-server path
#   scripts/setup-code-server.sh --force   reinstall
#   scripts/setup-code-server.sh --print   only print the path (exit 1 when not installed)
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${NOCODO_CODE_SERVER_DIR:-$ROOT/.tools/code-server}"
PKG="$DIR/node_modules/code-server"
BIN="$PKG/out/node/entry.js"
MARKER="$DIR/.installed-$VERSION"

log() { printf '[setup-code-server] %s\n' "$*" >&2; }
LOG_DIR="$ROOT/.tools/logs"
LOG="$LOG_DIR/setup-code-server.log"
# Runs one step with its output in the log; on failure prints the end of the log.
step() {
  local what="$1"; shift
  log "$what"
  if ! "$@" >>"$LOG" 2>&1; then
    log "failed: $what. The end of $LOG:"
    tail -n 30 "$LOG" >&2
    exit 1
  fi
}

case "${1:-}" in
  --print)
    if [[ -f "$MARKER" && -f "$BIN" ]]; then echo "$BIN"; exit 0; fi
    exit 1 ;;
  --force) rm -f "$MARKER" ;;
  "") ;;
  *) echo "usage: $0 [--force|--print]" >&2; exit 2 ;;
esac

if [[ -f "$MARKER" && -f "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

# --- system packages ---------------------------------------------------------------------------
# libkrb5-dev: the kerberos module builds against it. ripgrep: VS Code's search (its npm package
# would download rg). chromium: the browser the tests drive. build tools: native modules.
need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if command -v dpkg-query >/dev/null 2>&1; then
  for p in libkrb5-dev ripgrep chromium make g++ python3; do
    have_pkg "$p" || need_pkgs+=("$p")
  done
fi
# Binaries already present some other way (e.g. pyenv's python3) are good enough.
filtered=()
for p in "${need_pkgs[@]+"${need_pkgs[@]}"}"; do
  case "$p" in
    make|g++|python3) command -v "$p" >/dev/null 2>&1 || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done
need_pkgs=("${filtered[@]+"${filtered[@]}"}")
if (( ${#need_pkgs[@]} )); then
  cmd="apt-get update && apt-get install -y --no-install-recommends ${need_pkgs[*]}"
  log "system packages missing: ${need_pkgs[*]}"
  log "  libkrb5-dev: a module of VS Code's server builds against it; ripgrep: VS Code's search;"
  log "  chromium: the browser the tests drive; make/g++/python3: to build native modules."
  if [[ "${NOCODO_NO_APT:-}" == 1 ]]; then
    log "NOCODO_NO_APT=1: not installing. Run this yourself, then run this script again:"
    echo "  $cmd" >&2
    exit 1
  fi
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    log "install them (as root: $cmd) and run this again"
    exit 1
  fi
  log "installing them now with apt-get (set NOCODO_NO_APT=1 to only print the command)"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
RG="$(command -v rg || true)"
[[ -n "$RG" ]] || { log "ripgrep (rg) is not on PATH"; exit 1; }

# --- npm environment ---------------------------------------------------------------------------
export npm_config_yes=true            # ~/.npmrc may say yes=false, which breaks node-pty's build
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_loglevel="${npm_config_loglevel:-warn}"
# npm 6 and older skip install scripts as root without unsafe-perm; npm 7+ runs them and warns
# "Unknown env config unsafe-perm" when it is set, so set it only for the old ones.
if [[ $(id -u) -eq 0 && "$(npm --version | cut -d. -f1)" -lt 7 ]]; then export npm_config_unsafe_perm=true; fi
# node-gyp would download Node's headers from nodejs.org; use the installed ones when present.
NODE_PREFIX="$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)"
if [[ -z "${npm_config_nodedir:-}" && -f "$NODE_PREFIX/include/node/node.h" ]]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi
node -e 'const [M]=process.versions.node.split(".").map(Number); if (M<20) { console.error("Node >= 20 needed, found "+process.version); process.exit(1) }'

# --- code-server -------------------------------------------------------------------------------
started=$SECONDS
mkdir -p "$DIR" "$LOG_DIR"
: >"$LOG"
log "installing code-server@$VERSION into ${DIR#"$ROOT/"} (1–10 min; details in ${LOG#"$ROOT/"})"
# A private package.json keeps this install out of the project's dependency tree.
cat > "$DIR/package.json" <<EOF
{ "name": "nocodo-tools-code-server", "private": true, "description": "code-server for nocodo's tests (scripts/setup-code-server.sh)" }
EOF
cd "$DIR"
step "1/5 code-server from npm (install scripts off: they would download)" npm install --no-save --ignore-scripts --no-package-lock "code-server@$VERSION"
step "2/5 building argon2 (password hashing; unused with --auth none, but loaded)" npm rebuild argon2

cd "$PKG/lib/vscode"
step "3/5 VS Code server's modules" npm install --omit=dev --ignore-scripts --no-package-lock
# @vscode/ripgrep's install script would download rg: use the system one.
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$RG" node_modules/@vscode/ripgrep/bin/rg
step "4/5 compiling native modules (node-pty, spdlog, kerberos…; the slow part)" npm rebuild --foreground-scripts
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

cd "$PKG/lib/vscode/extensions"
step "5/5 built-in extensions' modules" npm install --omit=dev --no-package-lock

# Smoke check: the CLI starts and knows its version. A scratch config dir, because code-server
# writes a default config file on every start.
scratch="$(mktemp -d)"
got="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" node "$BIN" --version 2>/dev/null | grep -E '^[0-9]+\.' | head -1 || true)"
rm -rf "$scratch"
[[ "$got" == "$VERSION "* ]] || { log "code-server --version printed '$got', expected $VERSION"; exit 1; }

rm -f "$DIR"/.installed-*
date -u +%FT%TZ > "$MARKER"
log "code-server $VERSION ready in $((SECONDS - started)) s"
echo "$BIN"
