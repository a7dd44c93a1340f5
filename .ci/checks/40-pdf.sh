#!/usr/bin/env bash
# PDFs checked with the tools a careful reader would use: every quarterly summary and release
# PDF of the demo site must pass `qpdf --check`, embed and subset every font (`pdffonts`), and
# contain the key figures as searchable text (`pdftotext`).
#
# The PDFs are the ones `hemasite build` writes into the site.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEBIAN_FRONTEND=noninteractive
if ! command -v qpdf >/dev/null || ! command -v pdftotext >/dev/null; then
  apt-get install -y -qq qpdf poppler-utils >/dev/null
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
target/release/hemasite build --output "$out/site" 2>/dev/null
out="$out/site"

fail() { echo "FAIL: $*" >&2; exit 1; }

mapfile -t pdfs < <(find "$out" -name '*.pdf' | sort)
[ "${#pdfs[@]}" -ge 7 ] || fail "expected 2 summaries and 5 release PDFs, found ${#pdfs[@]}"

for pdf in "${pdfs[@]}"; do
  name="${pdf#"$out"/}"
  qpdf --check "$pdf" >/dev/null || fail "$name: qpdf --check"
  # pdffonts: two header lines, then one line per font with emb, sub and uni columns.
  fonts="$(pdffonts "$pdf" | tail -n +3)"
  [ -n "$fonts" ] || fail "$name: no fonts"
  while read -r font_name _type _encoding emb sub uni _rest; do
    [[ "$font_name" =~ ^[A-Z]{6}\+ ]] || fail "$name: font $font_name has no subset tag"
    [ "$emb" = yes ] || fail "$name: font $font_name not embedded"
    [ "$sub" = yes ] || fail "$name: font $font_name not subset"
    [ "$uni" = yes ] || fail "$name: font $font_name has no ToUnicode map"
  done < <(echo "$fonts" | awk '{ print $1, $2, $3, $(NF-4), $(NF-3), $(NF-2) }')
  echo "ok  $name"
done

# The key figures, as a reader would search for them.
expect() {
  local pdf="$1"; shift
  local text
  text="$(pdftotext -layout "$out/$pdf" - | tr -s ' \n' ' ')"
  for needle in "$@"; do
    grep -qF -- "$needle" <<<"$text" || fail "$pdf: text lacks \`$needle\`"
  done
}
expect reports/quarterly-summary-2003-q3.pdf \
  "Quarterly Summary — Third Quarter 2003" "\$6,980,000" "−\$4,679,000" "−\$0.60" "−2.8%" \
  "20,848,000" "13,455,000" "Page 1 of 2" "Page 2 of 2"
expect reports/quarterly-summary-2003-q2.pdf \
  "Quarterly Summary — Second Quarter 2003" "\$6,937,000" "−\$272,000" "−\$0.04" \
  "HemaCare Adds New Members to Its Board of Directors" "Marcario Joins HemaCare as Chief Financial Officer"
expect releases/2003-11-14-hemacare-reports-third-quarter-financial-results.pdf \
  "HemaCare Reports Third Quarter Financial Results" "\$6,980,000" "(4,679,000)" "About HemaCare Corporation"
echo "all ${#pdfs[@]} PDFs pass qpdf, pdffonts and pdftotext checks"
