#!/usr/bin/env bash
# Installs code-server (VS Code in a browser, with a real Node extension host) into .tools/code-server
# for the extension-host and browser tests and for `npm start` without a desktop VS Code.
#
# A plain `npm install code-server` fails on these machines (install scripts download things,
# ~/.npmrc's yes=false breaks node-pty's build, asar paths are missing), so this follows the
# recipe in ../shared/notes/testing-in-vscode.md step by step. Idempotent: a marker file makes a
# second run instant. Downloads go through npm's cache, so a reinstall is fast.
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
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    log "missing system packages: ${need_pkgs[*]}"
    log "install them (as root: apt-get update && apt-get install -y ${need_pkgs[*]}) and run this again"
    exit 1
  fi
  log "apt-get install ${need_pkgs[*]}"
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
[[ $(id -u) -eq 0 ]] && export npm_config_unsafe_perm=true
# node-gyp would download Node's headers from nodejs.org; use the installed ones when present.
NODE_PREFIX="$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)"
if [[ -z "${npm_config_nodedir:-}" && -f "$NODE_PREFIX/include/node/node.h" ]]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi
node -e 'const [M]=process.versions.node.split(".").map(Number); if (M<20) { console.error("Node >= 20 needed, found "+process.version); process.exit(1) }'

# --- code-server -------------------------------------------------------------------------------
started=$SECONDS
log "installing code-server@$VERSION into ${DIR#"$ROOT/"}"
mkdir -p "$DIR"
# A private package.json keeps this install out of the project's dependency tree.
cat > "$DIR/package.json" <<EOF
{ "name": "nocodo-tools-code-server", "private": true, "description": "code-server for nocodo's tests (scripts/setup-code-server.sh)" }
EOF
cd "$DIR"
npm install --no-save --ignore-scripts --no-package-lock "code-server@$VERSION" >&2
npm rebuild argon2 >&2

cd "$PKG/lib/vscode"
npm install --omit=dev --ignore-scripts --no-package-lock >&2
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$RG" node_modules/@vscode/ripgrep/bin/rg
npm rebuild --foreground-scripts >&2
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

cd "$PKG/lib/vscode/extensions"
npm install --omit=dev --no-package-lock >&2

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
