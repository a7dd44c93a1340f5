#!/usr/bin/env bash
# `hemasite serve` in a real browser: headless Chromium opens a release page of a copy of the
# demo site, then
#   1. the release's title is edited on disk: the open page must reload by itself and show it;
#   2. a template is broken: the page must show the error overlay naming the template and line;
#   3. the template is fixed: the overlay must go and the page come back;
# and Ctrl-C (SIGINT) must stop serve with exit status 0.
# Writes screenshots of each step to $SCREENSHOTS when that variable names a folder.
# Needs: the release binary (.ci/run builds it; HEMASITE_BIN overrides). Installs chromium (apt)
# and playwright-core (npm, in a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
bin="${HEMASITE_BIN:-$repo/target/release/hemasite}"
[ -x "$bin" ] || cargo build --release

export DEBIAN_FRONTEND=noninteractive
command -v chromium >/dev/null || apt-get install -y -qq chromium >/dev/null

work=$(mktemp -d)
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && npm install --no-audit --no-fund --silent playwright-core >/dev/null)

# The demo site's sources, without its theme folders: serve uses the built-in theme, and the
# check adds a broken templates/release.html of its own. The demo's logo is the site's own,
# not the theme's, so it comes along.
mkdir -p "$work/site/static"
cp -r "$repo/site.yaml" "$repo/content" "$work/site/"
cp "$repo/static/logo.svg" "$work/site/static/"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/"
"$bin" --root "$work/site" serve --port "$port" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 300); do
  curl -sf -o /dev/null "$url" && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
echo "serve is up at $url"

release=$(cd "$work/site/.hemasite/serve" && ls -d releases/*/ | grep -m1 -- '-third-quarter-' || ls -d releases/*/ | head -n1)
release_md="$work/site/content/releases/$(basename "$release").md"
NODE_PATH="$work/node_modules" node "$repo/.ci/serve/live-reload.js" "$url$release" "$work/site" "$release_md" \
  || { echo "--- serve's output:"; cat "$work/serve.log"; exit 1; }

echo "stopping serve with Ctrl-C (SIGINT)"
kill -INT "$serve_pid"
status=0
wait "$serve_pid" || status=$?
serve_pid=""
cat "$work/serve.log"
[ "$status" -eq 0 ] || { echo "serve exited with status $status after SIGINT"; exit 1; }
grep -q '^Stopped\.$' "$work/serve.log" || { echo "serve did not say it stopped"; exit 1; }
echo "serve checks passed"
