#!/usr/bin/env bash
# `hemasite mail --send` against a real SMTP server (aiosmtpd) on 127.0.0.1, with AUTH.
#
# 1. a send to a small list: every message arrives once, with the PDF intact (Python's email
#    module decodes it); a second run sends nothing;
# 2. a fresh mailing with the server refusing one recipient (550): that one fails, the run exits
#    non-zero, the others are delivered;
# 3. the same mailing again, server accepting: only the missing recipient gets a message;
# 4. a second run while one holds the send log: refused;
# 5. release alerts: `--new` announces the latest release (its title with non-ASCII and a
#    would-be encoded word, to check RFC 2047) to the `releases` list only, with the release's
#    PDF, the logo inline, a per-recipient one-click unsubscribe URL; a second `--new` sends
#    nothing;
# 6. a new release and two `--new` runs at once: each recipient gets it once;
# 7. a run killed (kill -9) while a message is with the server: the next `--new` reports that
#    one as in flight, finishes for the others it had queued, and not for someone who joined
#    the list since.
# The server requires AUTH, so delivery proves the password came from the environment; it
# must never appear in the program's output.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
bin=${HEMASITE:-$repo/target/release/hemasite}
[[ -x $bin ]] || { echo "60-mail: $bin not found; run cargo build --release first" >&2; exit 1; }

# aiosmtpd: Debian's package (for Debian's python3), or pip for whatever python3 is first.
python=/usr/bin/python3
if ! "$python" -c 'import aiosmtpd' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null 2>&1 || true
fi
if ! "$python" -c 'import aiosmtpd' 2>/dev/null; then
  python=python3
  "$python" -c 'import aiosmtpd' 2>/dev/null || "$python" -m pip install -q aiosmtpd
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  local status=$?
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ $status -ne 0 && -f $work/smtp/server.log ]]; then
    echo "--- SMTP server log" >&2
    grep -v -e 'auth_require_tls == False' -e 'login_data is deprecated' "$work/smtp/server.log" >&2 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A copy of the demo site, so that the check never touches the repository's send log.
site=$work/site
mkdir -p "$site"
cp -r site.yaml content static "$site"/
[[ -d templates ]] && cp -r templates "$site"/
rm -rf "$site/content/mail"
if compgen -G "public/reports/quarterly-summary-*.pdf" >/dev/null; then
  cp -r public "$site"/
elif "$bin" build --help >/dev/null 2>&1; then
  "$bin" --root "$site" build
fi
if ! compgen -G "$site/public/reports/quarterly-summary-*.pdf" >/dev/null; then
  # Until `hemasite build` writes the summaries, stand in the test fixture for the built PDF.
  echo "60-mail: no built summary PDF; using tests/fixtures/mail's PDF as 2003-Q3's summary"
  mkdir -p "$site/public/reports"
  cp tests/fixtures/mail/site/public/reports/quarterly-summary-2003-q3.pdf "$site/public/reports/"
fi
pdf=$(ls "$site"/public/reports/quarterly-summary-*.pdf | sort | tail -n 1)

port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user=ir-mailer
password="ci-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# The demo site's mail settings, pointed at the local server.
sed -i '/^mail:/,$d' "$site/site.yaml"
cat >>"$site/site.yaml" <<EOF
mail:
  unsubscribe:
    url: https://ir.hemacare.example/unsubscribe/
  smtp:
    host: 127.0.0.1
    port: $port
    security: none
    user: $user
    password_env: HEMASITE_SMTP_PASSWORD
    attempts: 2
    retry_delay_ms: 200
EOF
recipients=(ana@example.com ben@example.com carla@example.com dev@example.com)
release_list=(carla@example.com dev@example.com erin@example.com)
{
  echo "email,name,lists,groups"
  echo "ana@example.com,Ana Example,quarterly,shareholders"
  echo "ben@example.com,\"Example, Ben\",,analysts"
  echo "carla@example.com,Carla Example,releases;quarterly,board"
  echo "DEV@example.com,Dev Example,quarterly,board"
  echo "dev@example.com,Dev Again,releases,board"
  echo "erin@example.com,Erin Example,releases,"
} >"$site/content/subscribers.csv"

store=$work/smtp/received
mkdir -p "$work/smtp"
SMTP_USER=$user SMTP_PASSWORD=$password "$python" .ci/mail_smtpd.py "$port" "$store" >"$work/smtp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.2
done

mail() { HEMASITE_SMTP_PASSWORD=$password "$bin" --root "$site" mail --send "$@"; }
no_password_in() {
  if grep -qF -- "$password" "$1"; then echo "FAIL: the SMTP password appears in the output" >&2; exit 1; fi
}

echo "-- 0. a wrong password: the run stops at once, nothing is sent or logged as delivered"
if HEMASITE_SMTP_PASSWORD=wrong-password "$bin" --root "$site" mail --send >"$work/run0.txt" 2>&1; then
  cat "$work/run0.txt"; echo "FAIL: a refused login must fail the run" >&2; exit 1
fi
cat "$work/run0.txt"
grep -q "not attempted: 4" "$work/run0.txt" || { echo "FAIL: expected the run to stop" >&2; exit 1; }
# The first message is logged as started before its SMTP transaction, and as failed after it.
if grep -qP '\tdone$' "$site/content/mail/sent.log" 2>/dev/null; then
  echo "FAIL: the send log says delivered after sending nothing" >&2; exit 1
fi
grep -qP '\tfailed$' "$site/content/mail/sent.log" || { echo "FAIL: the failure is not logged" >&2; exit 1; }
[[ -z $(ls -A "$store") ]] || { echo "FAIL: messages arrived without a login" >&2; exit 1; }

echo "-- 1. a send to the list: each recipient once, PDF intact"
mail >"$work/run1.txt" 2>&1 || { cat "$work/run1.txt"; echo "FAIL: first run failed" >&2; exit 1; }
cat "$work/run1.txt"
no_password_in "$work/run1.txt"
"$python" .ci/mail_verify.py "$store" "$pdf" "${recipients[@]}"
mail >"$work/run1b.txt" 2>&1
grep -q "skipped, already delivered: 4" "$work/run1b.txt" || { cat "$work/run1b.txt"; exit 1; }
"$python" .ci/mail_verify.py "$store" "$pdf" "${recipients[@]}"

echo "-- 2. a fresh mailing, the server refusing ben@example.com"
rm -rf "$store" "$site/content/mail"
mkdir -p "$store"
echo "ben@example.com" >"$work/smtp/reject.txt"
if mail >"$work/run2.txt" 2>&1; then cat "$work/run2.txt"; echo "FAIL: a refused recipient must fail the run" >&2; exit 1; fi
cat "$work/run2.txt"
no_password_in "$work/run2.txt"
grep -q "ben@example.com: .*550" "$work/run2.txt" || { echo "FAIL: the refusal is not reported" >&2; exit 1; }
grep -q "sent: 3" "$work/run2.txt" || { echo "FAIL: the others were not all sent" >&2; exit 1; }
"$python" .ci/mail_verify.py "$store" "$pdf" ana@example.com carla@example.com dev@example.com

echo "-- 3. again, the server accepting: only the missing one"
rm "$work/smtp/reject.txt"
mail >"$work/run3.txt" 2>&1 || { cat "$work/run3.txt"; echo "FAIL: third run failed" >&2; exit 1; }
cat "$work/run3.txt"
grep -q "sent: 1" "$work/run3.txt" || { echo "FAIL: expected exactly one message sent" >&2; exit 1; }
"$python" .ci/mail_verify.py "$store" "$pdf" "${recipients[@]}"
echo "-- 4. a second run while one holds the send log: refused, naming the process"
rm -rf "$store" "$site/content/mail"
mkdir -p "$store" "$site/content/mail"
exec 9>"$site/content/mail/sent.log.lock"
flock 9
echo $$ >&9
if mail >"$work/run4.txt" 2>&1; then cat "$work/run4.txt"; echo "FAIL: a locked log must fail the run" >&2; exit 1; fi
grep -q "process $$" "$work/run4.txt" || { cat "$work/run4.txt"; echo "FAIL: the holder is not named" >&2; exit 1; }
[[ -z $(ls -A "$store") ]] || { echo "FAIL: a locked run sent mail" >&2; exit 1; }
exec 9>&-

echo "-- 5. release alerts with --new: the latest release, to the releases list, once"
rm -rf "$store" "$site/content/mail"
mkdir -p "$store" "$site/static"
latest=$(ls "$site"/content/releases/*.md | sort | tail -n 1)
slug=$(basename "$latest" .md)
title='HemaCare Sets Its 2004 Meeting — « Réunion » =?utf-8?q?x?= & <b>'
"$python" - "$latest" "$title" <<'PY'
import re, sys
path, title = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text = re.sub(r"^title: .*$", "title: '%s'" % title.replace("'", "''"), text, count=1, flags=re.M)
open(path, "w", encoding="utf-8").write(text)
PY
cp tests/fixtures/mail/logo.png "$site/static/logo.png"
sed -i '/^  logo:/d; s/^brand:$/brand:\n  logo: logo.png/' "$site/site.yaml"
grep -q "^  logo: logo.png" "$site/site.yaml" || { echo "FAIL: could not set brand.logo" >&2; exit 1; }
"$bin" --root "$site" --quiet build
mail --new >"$work/run5.txt" 2>&1 || { cat "$work/run5.txt"; echo "FAIL: --new failed" >&2; exit 1; }
cat "$work/run5.txt"
no_password_in "$work/run5.txt"
verify_release() {
  "$python" .ci/mail_verify.py --kind release --subject "$1" \
    --unsubscribe-url https://ir.hemacare.example/unsubscribe/ --logo "$site/static/logo.png" \
    "$store" "$site/public/releases/$2.pdf" "${@:3}"
}
verify_release "$title" "$slug" "${release_list[@]}"
mail --new >"$work/run5b.txt" 2>&1 || { cat "$work/run5b.txt"; exit 1; }
grep -q "no new release to announce" "$work/run5b.txt" || { cat "$work/run5b.txt"; echo "FAIL: a second --new sent again" >&2; exit 1; }
verify_release "$title" "$slug" "${release_list[@]}"

# A release ingested after the last announcement: a copy of the latest under a later date.
add_release() {
  local new=$1 date=$2
  sed -e "s/^date: .*/date: $date/" -e "s/^title: .*/title: HemaCare News of $date/" "$latest" \
    >"$site/content/releases/$new.md"
  "$bin" --root "$site" --quiet build
}

echo "-- 6. a new release, two --new runs at once: each recipient gets it once"
rm -rf "$store"; mkdir -p "$store"
add_release 2004-06-01-hemacare-news 2004-06-01
set +e
mail --new >"$work/run6a.txt" 2>&1 &
first=$!
mail --new >"$work/run6b.txt" 2>&1
second_status=$?
wait "$first"
first_status=$?
set -e
cat "$work/run6a.txt" "$work/run6b.txt"
[[ $first_status -eq 0 || $second_status -eq 0 ]] || { echo "FAIL: neither run succeeded" >&2; exit 1; }
verify_release "HemaCare News of 2004-06-01" 2004-06-01-hemacare-news "${release_list[@]}"

echo "-- 7. a run killed while a message is with the server; the next --new finishes it"
rm -rf "$store"; mkdir -p "$store"
add_release 2004-07-01-hemacare-news 2004-07-01
echo carla@example.com >"$work/smtp/slow.txt"
rm -f "$work/smtp/slow-started"
HEMASITE_SMTP_PASSWORD=$password "$bin" --root "$site" mail --send --new >"$work/run7a.txt" 2>&1 &
victim=$!
for _ in $(seq 100); do [[ -f $work/smtp/slow-started ]] && break; sleep 0.1; done
[[ -f $work/smtp/slow-started ]] || { echo "FAIL: the slow message never arrived" >&2; exit 1; }
kill -9 "$victim"
wait "$victim" 2>/dev/null || true
rm "$work/smtp/slow.txt"
echo "fay@example.com,Fay Late,releases," >>"$site/content/subscribers.csv"
sleep 4 # the server finishes storing the message it was holding
if mail --new >"$work/run7b.txt" 2>&1; then
  cat "$work/run7b.txt"; echo "FAIL: a message in flight must be reported" >&2; exit 1
fi
cat "$work/run7b.txt"
grep -q "in flight when an earlier run stopped: 1" "$work/run7b.txt" || { echo "FAIL: carla is not reported in flight" >&2; exit 1; }
grep -q "sent: 2" "$work/run7b.txt" || { echo "FAIL: expected the two others queued" >&2; exit 1; }
verify_release "HemaCare News of 2004-07-01" 2004-07-01-hemacare-news "${release_list[@]}"
echo "60-mail: all checks passed"
