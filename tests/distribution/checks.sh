# Sourced by the tests/distribution/*.sh scripts: named checks, counted, with the last line
# "N passed, N failed, N skipped" that run-tests.sh adds to its totals.
#   check NAME COMMAND...     passes when COMMAND exits 0; a failure prints its output (last 20 lines)
#   check_output NAME PATTERN COMMAND...  passes when COMMAND exits 0 and its output matches the ERE PATTERN
#   count_kit_run LOG CMD...  runs a kit (its output to LOG) and adds its "N passed, N failed" to the counts
#   finish                    prints the summary line; exit 1 when anything failed
CHECKS_PASSED=0
CHECKS_FAILED=0

check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then
    CHECKS_PASSED=$((CHECKS_PASSED + 1))
    echo "  ok   $name"
  else
    CHECKS_FAILED=$((CHECKS_FAILED + 1))
    echo "  FAIL $name"
    tail -n 20 <<< "$out" | sed 's/^/         /'
  fi
}

check_output() {
  local name=$1 pattern=$2; shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" -eq 0 ] && grep -Eq -- "$pattern" <<< "$out"; then
    CHECKS_PASSED=$((CHECKS_PASSED + 1))
    echo "  ok   $name"
  else
    CHECKS_FAILED=$((CHECKS_FAILED + 1))
    echo "  FAIL $name (exit $rc; expected output matching /$pattern/)"
    tail -n 20 <<< "$out" | sed 's/^/         /'
  fi
}

count_kit_run() {
  local log=$1; shift
  local line
  line=$("$@" 2>&1 | tee "$log" | tail -n 1)
  if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    echo "  kit: $line"
    CHECKS_PASSED=$((CHECKS_PASSED + BASH_REMATCH[1]))
    CHECKS_FAILED=$((CHECKS_FAILED + BASH_REMATCH[2]))
    grep -E '^(FAIL|ERROR) ' "$log" | sed 's/^/         /'
  else
    CHECKS_FAILED=$((CHECKS_FAILED + 1))
    echo "  FAIL the kit printed no summary line:"
    tail -n 20 "$log" | sed 's/^/         /'
  fi
}

finish() {
  echo "$CHECKS_PASSED passed, $CHECKS_FAILED failed, 0 skipped"
  [ "$CHECKS_FAILED" -eq 0 ]
}
