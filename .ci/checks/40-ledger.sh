#!/usr/bin/env bash
# `hemasite check` as a script sees it: exit status and JSON, on the demo content and on a copy
# with one figure changed. Needs the release binary (.ci/run builds it) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v python3 >/dev/null || apt-get install -y -qq python3 >/dev/null
bin="$PWD/target/release/hemasite"

echo "hemasite check on the demo content: no errors expected"
"$bin" check --format json > /tmp/ledger-check.json
python3 - /tmp/ledger-check.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["errors"] == 0 and report["warnings"] == 0, report
assert report["unchecked"] == len([f for f in report["findings"] if f["severity"] == "unchecked"])
for finding in report["findings"]:
    assert finding["file"].endswith(".md") and finding["line"] > 0, finding
print(f"  0 errors, {report['unchecked']} figures in the text not checked")
PY

echo "hemasite check on a copy whose third-quarter total assets were changed: must fail"
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp site.yaml "$site/"
mkdir -p "$site/content"
cp -r content/releases "$site/content/"
q3="$site/content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md"
python3 - "$q3" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
needle = "key: total_assets, label: Total assets, section: Assets, values: [8275000, 13455000]"
assert text.count(needle) == 1, "the fixture changed: update this check"
open(path, "w").write(text.replace(needle, needle.replace("8275000", "8276000", 1)))
PY
if "$bin" --root "$site" check --format json > /tmp/ledger-check-broken.json; then
  echo "hemasite check exited 0 on an inconsistent balance sheet" >&2
  exit 1
fi
python3 - /tmp/ledger-check-broken.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
errors = [f for f in report["findings"] if f["severity"] == "error"]
assert report["errors"] == 1 and len(errors) == 1, report
assert "Total assets is 8,276,000" in errors[0]["message"], errors[0]
assert errors[0]["file"].endswith("third-quarter-financial-results.md"), errors[0]
assert errors[0]["line"] == 65, errors[0]  # the total_assets row
print("  1 error, as expected:", errors[0]["message"][:80], "…")
PY
