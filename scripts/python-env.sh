#!/usr/bin/env bash
# The reference Python environment (.cache/python): a virtual environment holding the packages of
# scripts/python-requirements.txt, made once and remade when that file changes. pip reads its own
# configuration (PIP_INDEX_URL, PIP_FIND_LINKS, pip.conf): a machine without internet installs from
# its local index or wheel folder; nothing here names one.
#
# Always exits 0: where the packages cannot be installed it says so plainly, and the tests that need
# them say they are skipped and why (test/python/referencePython.ts reads .cache/python/status).
set -uo pipefail
cd "$(dirname "$0")/.."

venv=.cache/python
requirements=scripts/python-requirements.txt
status=$venv/status
wanted=$(sha256sum "$requirements" | cut -c1-16)

if [[ -f $status && $(head -n1 "$status") == "ok $wanted" ]]; then
  echo "reference Python environment is up to date ($venv)"
  exit 0
fi

python=${SEQLAB_PYTHON_BASE:-python3}
if ! command -v "$python" >/dev/null; then
  mkdir -p "$venv"
  echo "unavailable: $python is not on PATH" >"$status"
  echo "Reference Python environment NOT installed: $python is not on PATH. Tests against real Keras, PyTorch, librosa, sacreBLEU, Optuna and Ray will be skipped."
  exit 0
fi

echo "Installing the reference Python environment into $venv (TensorFlow, Keras, PyTorch, librosa, sacreBLEU, Optuna, Ray; a few minutes the first time)..."
rm -rf "$venv"
log=$(mktemp)
# --retries 0: an index that cannot be reached (no internet) is skipped at once instead of retried.
if "$python" -m venv "$venv" >"$log" 2>&1 &&
  "$venv/bin/pip" install --retries 0 --disable-pip-version-check --no-input -q -r "$requirements" >>"$log" 2>&1; then
  echo "ok $wanted" >"$status"
  "$venv/bin/python" -c 'import importlib.metadata as m; print("installed: " + ", ".join(f"{p} {m.version(p)}" for p in ["tensorflow-cpu", "keras", "torch", "librosa", "sacrebleu", "optuna", "ray"]))'
else
  reason=$(grep -E '^ERROR' "$log" | head -n 3 | tr '\n' ' ')
  mkdir -p "$venv"
  echo "unavailable: pip could not install $requirements: ${reason:-see the pip output below}" >"$status"
  echo "Reference Python environment NOT installed: ${reason:-pip failed}"
  echo "Tests against real Keras, PyTorch, librosa, sacreBLEU, Optuna and Ray will be skipped. the end of the pip output:"
  tail -n 20 "$log"
fi
rm -f "$log"
exit 0
