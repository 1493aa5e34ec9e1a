#!/usr/bin/env bash
# The JUnit report as CI systems read it (docs/ci.md): the corpus's report is valid against the
# Ant JUnit schema Jenkins reads (tests/tools/data/junit/junit.xsd, with testcase file and
# line), and so is the report of scenarios whose names and failure messages hold control bytes
# and invalid UTF-8: it parses as XML 1.0 and holds none of those bytes raw.
#   tests/junit_report.sh SOCKSIM CORPUS XSD
set -u
socksim=$1
corpus=$2
xsd=$3
if ! command -v xmllint >/dev/null; then
  echo "junit.report: skipped (xmllint, Debian's libxml2-utils, is not installed)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "junit.report: $*" >&2; exit 1; }

# 1. The corpus: every scenario passes, and the report is valid.
"$socksim" run --junit "$work/corpus.xml" "$corpus" >"$work/corpus.out" 2>&1 ||
  fail "the corpus did not pass: $(tail -3 "$work/corpus.out")"
xmllint --noout --schema "$xsd" "$work/corpus.xml" || fail "the corpus's report is not valid"
cases=$(grep -c '<testcase ' "$work/corpus.xml")
[ "$cases" -gt 0 ] || fail "the corpus's report holds no testcase"

# 2. Hostile names and messages: a diverging scenario and an unusable one whose file names hold
# ESC, SOH and a byte that is not UTF-8 (it reaches the failure's message with its location),
# and a line with raw bytes quoted in an error.
mkdir -p "$work/h/d"$'\x1b'
scenario=$'personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\n'
printf '%s' "$scenario" >"$work/h/d"$'\x1b'"/t"$'\x01\xff'".scn"
printf 'personality linux\nfrob\x02\xff\xc3( "&<>\x27\n' >"$work/h/e"$'\xc0\xaf'".scn"
status=0
"$socksim" run --junit "$work/hostile.xml" "$work/h" >"$work/hostile.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "the hostile run exited $status, not 2: $(cat "$work/hostile.out")"
xmllint --noout "$work/hostile.xml" || fail "the hostile report does not parse"
xmllint --noout --schema "$xsd" "$work/hostile.xml" || fail "the hostile report is not valid"
grep -q '<failure type="divergence"' "$work/hostile.xml" || fail "no divergence in the hostile report"
grep -q '<error type="unusable-input"' "$work/hostile.xml" || fail "no error in the hostile report"
grep -qF 'classname="d\x1b"' "$work/hostile.xml" || fail "the classname does not show the ESC as \\x1b"
# No byte below 0x20 other than tab, newline and CR, and only valid UTF-8 (iconv refuses otherwise).
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f]' "$work/hostile.xml"; then fail "a control byte is raw"; fi
iconv -f UTF-8 -t UTF-8 "$work/hostile.xml" >/dev/null || fail "the hostile report is not UTF-8"
# The text report quotes the names with their control bytes as \xNN too.
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f]' "$work/hostile.out"; then fail "a control byte is raw in the text"; fi
echo "junit.report: $cases corpus testcases valid; the hostile report is valid XML 1.0"
