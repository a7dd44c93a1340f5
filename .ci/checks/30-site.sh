#!/usr/bin/env bash
# The investor-relations site, checked with the tools a careful team would use:
#   1. the Nu Html Checker over every page (zero errors);
#   2. nginx on 127.0.0.1 serving the site at the host root and under a sub-path (/ir/),
#      crawled by linkchecker (zero broken links, anchors included);
#   3. headless Chromium loading the home, news (all, a year, a category), a release, financials,
#      events, leadership, SEC filings, the site's own governance pages and 404 at desktop
#      (1280 px) and phone (390 px) widths: no console errors, no failed requests, no axe-core violations, no page wider than the screen
#      (no sideways scroll of the whole page); the news search box must find releases, by title
#      and by body text, in place of the list, dated as a reader writes dates; on a phone the
#      navigation stays on one line and the news filters come before the list. A self-test runs
#      the same overflow probe on a page made too wide and requires it to fail.
# Needs: the release binary (.ci/run builds it). Installs nginx, linkchecker, chromium (apt) and
# vnu-jar, playwright-core, axe-core (npm, in a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
bin="$repo/target/release/hemasite"
[ -x "$bin" ] || cargo build --release

export DEBIAN_FRONTEND=noninteractive
need=()
command -v nginx >/dev/null || need+=(nginx)
command -v linkchecker >/dev/null || need+=(linkchecker)
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && npm install --no-audit --no-fund --silent vnu-jar playwright-core axe-core >/dev/null)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
root_url="http://127.0.0.1:$port/"
sub_url="http://127.0.0.1:$port/ir/"

echo "building the demo site at $root_url and at $sub_url"
"$bin" --root "$repo" build --base-url "$root_url" --output "$work/root/public"
"$bin" --root "$repo" build --base-url "$sub_url" --output "$work/sub/public"

echo "Nu Html Checker"
java -jar "$work/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html "$work/root/public"

cat >"$work/nginx.conf" <<CONF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
  include /etc/nginx/mime.types;
  types { text/calendar ics; }
  access_log off;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/root/public;
    error_page 404 /404.html;
    location /ir/ {
      alias $work/sub/public/;
      error_page 404 /ir/404.html;
    }
  }
}
CONF
mkdir -p "$work/tmp"
# nginx workers run as an unprivileged user: let them read the site.
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do
  curl -sf -o /dev/null "$root_url" && break
  sleep 0.1
done

cat >"$work/linkcheckerrc" <<'CONF'
[output]
status=0
warnings=0
[AnchorCheck]
CONF
for url in "$root_url" "$sub_url"; do
  echo "linkchecker $url"
  linkchecker --config "$work/linkcheckerrc" --no-robots "$url"
done

echo "headless Chromium + axe-core"
release=$(cd "$work/root/public" && ls -d releases/*/ | grep -m1 -- '-third-quarter-' || ls -d releases/*/ | head -n1)
NODE_PATH="$work/node_modules" node "$repo/.ci/site/browser-check.js" "$root_url" \
  "" news/ news/2003/ news/category/earnings/ "$release" financials/ events/ leadership/ filings/ \
  governance/ governance/committees/ 404.html
NODE_PATH="$work/node_modules" node "$repo/.ci/site/browser-check.js" "$sub_url" "" news/ financials/

# The overflow probe must be able to fail: the same check on a copy of a real page (same folder,
# same stylesheet) with one element 600 px wide must report a sideways scroll at 390 px, and
# only there (600 px fits on the 1280 px screen).
echo "self-test of the overflow probe"
selftest="$work/root/public/leadership/overflow-selftest.html"
sed 's|<main[^>]*>|&<div style="width: 600px; height: 4px"></div>|' \
  "$work/root/public/leadership/index.html" >"$selftest"
grep -q 'width: 600px' "$selftest" || { echo "FAIL: self-test page has no <main> to widen" >&2; exit 1; }
if NODE_PATH="$work/node_modules" node "$repo/.ci/site/browser-check.js" "$root_url" \
  leadership/overflow-selftest.html >"$work/selftest.log" 2>&1; then
  cat "$work/selftest.log" >&2
  echo "FAIL: the overflow probe passed a page 600 px wide on a 390 px screen" >&2
  exit 1
fi
if ! grep -q '(phone): page is [0-9]* px wide on a [0-9]* px screen' "$work/selftest.log" \
  || grep -q '(desktop)' "$work/selftest.log"; then
  cat "$work/selftest.log" >&2
  echo "FAIL: the overflow probe should report the 600 px element at 390 px, and nothing else" >&2
  exit 1
fi
rm "$selftest"
echo "site checks passed"
