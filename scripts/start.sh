#!/usr/bin/env bash
# `npm start`: install the dependencies when they are missing or stale, build, and train the
# built-in example (no network, no external data), then say where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm records what it installed in node_modules/.package-lock.json: reinstall only when the
# lockfile is newer than that record (or when nothing is installed).
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing dependencies (npm ci)..."
    npm ci --prefer-offline --no-audit --no-fund
  fi
elif [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
  echo "Installing dependencies (npm install)..."
  npm install --prefer-offline --no-audit --no-fund
fi

npm run --silent build
node dist/cli.js train examples/sentiment-quick.seqlab.yaml
echo "Open the report above in a browser; list all runs with: node dist/cli.js runs examples"
