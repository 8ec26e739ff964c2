#!/usr/bin/env bash
# `npm test` (and CI, through .ci/run): every check of Sequence Lab from a clean clone, in order,
# stopping at the first failing phase. Each phase prints its duration; the last line counts them.
#
#   bash scripts/test.sh                       all phases
#   bash scripts/test.sh package extension-host browser   only those phases (in the order given)
#
# Phases: install python lint typecheck unit integration package build-e2e code-server extension-host browser
# The end-to-end phases run real VS Code (code-server) in headless Chromium; see test/e2e/harness.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL_PHASES=(install python lint typecheck unit integration package build-e2e code-server extension-host browser)

phase_install() {
  # npm records what it installed in node_modules/.package-lock.json: install only when that
  # record is missing or older than the lockfile.
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --prefer-offline --no-audit --no-fund
  else
    echo "dependencies are up to date"
  fi
}
# Real Keras on TensorFlow, PyTorch 2, librosa, sacreBLEU, Optuna, Ray for the reference tests, in
# .cache/python (made once; says plainly, and exits 0, where pip cannot install them).
phase_python() { bash scripts/python-env.sh; }
phase_lint() { npm run --silent lint; }
phase_typecheck() { npm run --silent typecheck; }
phase_unit() { npm run --silent test:unit; }
phase_integration() { npm run --silent test:integration; }
# Production bundles + VSIX: what the browser phase installs into code-server.
phase_package() { npm run --silent package; }
phase_build-e2e() { npm run --silent build:e2e; }
# Debian packages (root) and code-server itself, cached in .cache/code-server after the first run.
phase_code-server() { bash scripts/setup-code-server.sh >/dev/null; }
# Bounded: a hung workbench must not eat CI's budget. On timeout's SIGTERM the harness kills the
# code-server process group before exiting.
phase_extension-host() { timeout --kill-after=30s 15m node --import tsx test/e2e/harness/runExtensionTests.ts; }
phase_browser() { timeout --kill-after=30s 15m node --import tsx --test test/e2e/browser/*.test.ts; }

phases=("$@")
((${#phases[@]})) || phases=("${ALL_PHASES[@]}")
for phase in "${phases[@]}"; do
  if ! declare -F "phase_$phase" >/dev/null; then
    echo "Unknown phase '$phase'. Phases: ${ALL_PHASES[*]}" >&2
    exit 2
  fi
done

passed=0
failed=0
summary=()
suite_started=$(date +%s)
for phase in "${phases[@]}"; do
  echo
  echo "=== $phase"
  started=$(date +%s)
  if "phase_$phase"; then
    status=ok
    passed=$((passed + 1))
  else
    status=FAILED
    failed=$((failed + 1))
  fi
  seconds=$(($(date +%s) - started))
  summary+=("$(printf '%-15s %-6s %5ss' "$phase" "$status" "$seconds")")
  echo "=== $phase: $status (${seconds}s)"
  [[ $status == ok ]] || break
done

echo
echo "Phases:"
printf '  %s\n' "${summary[@]}"
not_run=$((${#phases[@]} - passed - failed))
((not_run == 0)) || echo "  (${not_run} phase(s) not run after the failure)"
echo "Total: $(($(date +%s) - suite_started))s"
echo "${passed} passed, ${failed} failed"
((failed == 0))
