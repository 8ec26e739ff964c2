#!/usr/bin/env bash
# Installs code-server (real VS Code in a browser) and headless Chromium for the end-to-end tests and
# `npm run try`, entirely offline apart from the npm registry and Debian packages.
#
# code-server's own install scripts download prebuilt binaries, which cannot work here, so the recipe
# measured in DESIGN.md section 3 is replayed by hand: install without scripts, then build every native
# module from source against the system Node headers. Idempotent: a marker file records a finished
# install of this exact version, and a second run returns at once.
#
# Usage: bash scripts/setup-code-server.sh        (prints the code-server entry point on its last line)
# Env:   CODE_SERVER_CACHE   install root (default: <project>/.cache/code-server)
set -euo pipefail

readonly VERSION=4.100.3
readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly CACHE="${CODE_SERVER_CACHE:-$ROOT/.cache/code-server}"
readonly PREFIX="$CACHE/$VERSION"
readonly PKG="$PREFIX/node_modules/code-server"
readonly VSCODE="$PKG/lib/vscode"
readonly MARKER="$PREFIX/.ready"
readonly NODE_GYP="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
# Quiet, non-interactive npm that never phones home beyond the registry.
readonly NPM_FLAGS=(--no-audit --no-fund --loglevel=error --ignore-scripts)

started=$(date +%s)
step_started=$started
step() {
  local now
  now=$(date +%s)
  printf '[setup-code-server] %-52s (%ss)\n' "$1" "$((now - step_started))"
  step_started=$now
}
fail() {
  echo "[setup-code-server] error: $*" >&2
  exit 1
}

if [[ -f "$MARKER" ]]; then
  echo "[setup-code-server] code-server $VERSION is ready in $PREFIX"
  echo "$PKG/out/node/entry.js"
  exit 0
fi

# 1. System packages: Kerberos headers (kerberos module), ripgrep (VS Code search), Chromium (tests).
missing=()
for pkg in libkrb5-dev ripgrep chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || fail "Debian packages ${missing[*]} are missing; run this script as root or install them with apt-get."
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
  step "apt-get install ${missing[*]}"
else
  step "Debian packages already installed"
fi
[[ -d /usr/include/node ]] || fail "Node headers are missing in /usr/include/node; install Node 20 with its headers."
[[ -f "$NODE_GYP" ]] || fail "node-gyp was not found beside npm ($NODE_GYP)."

# 2. code-server itself, without its post-install (which would fetch binaries). A fresh folder makes a
#    half-finished earlier attempt harmless.
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# npm 11 blocks dependency install scripts unless the project allows them by name: allow exactly argon2.
echo '{ "private": true, "allowScripts": { "argon2": true } }' >"$PREFIX/package.json"
(cd "$PREFIX" && npm install "${NPM_FLAGS[@]}" "code-server@$VERSION")
step "npm install code-server@$VERSION"

# 3. argon2 (password hashing; loaded even with --auth none), built from source instead of downloaded.
(cd "$PREFIX" && npm_config_build_from_source=true npm rebuild --no-audit --loglevel=error argon2 >/dev/null)
step "build argon2"

# 4. VS Code's server dependencies and its built-in extensions' dependencies.
(cd "$VSCODE" && npm install "${NPM_FLAGS[@]}" --omit=dev)
step "npm install lib/vscode"
(cd "$VSCODE/extensions" && npm install "${NPM_FLAGS[@]}" --omit=dev && node postinstall.mjs >/dev/null)
step "npm install lib/vscode/extensions"

# 5. Native modules of the VS Code server. `npm rebuild node-pty` fails in its own post-install step,
#    so node-gyp is called in each package folder directly.
for native in node-pty kerberos @vscode/spdlog @vscode/deviceid native-watchdog; do
  (cd "$VSCODE/node_modules/$native" && node "$NODE_GYP" rebuild --nodedir=/usr --loglevel=error >/dev/null)
done
step "node-gyp: node-pty kerberos spdlog deviceid watchdog"

# 6. Search uses ripgrep; the npm package would download it, Debian ships the same binary.
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
cp /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"

# 7. The symlinks code-server's postinstall.sh would create.
ln -sfn node_modules "$VSCODE/node_modules.asar"
ln -sfn code-linux.sh "$VSCODE/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VSCODE/bin/helpers/browser.sh"
step "ripgrep and postinstall symlinks"

# 8. Smoke check before declaring success: the server must at least report its version.
node "$PKG/out/node/entry.js" --version >/dev/null || fail "code-server $VERSION does not start; see the output above."
touch "$MARKER"
echo "[setup-code-server] code-server $VERSION ready in $PREFIX ($(du -sm "$PREFIX" | cut -f1) MB, $(($(date +%s) - started))s total)"
echo "$PKG/out/node/entry.js"
