#!/usr/bin/env bash
# The GitHub Action's script (scripts/confkit-action.sh), run here as GitHub would run it but without
# GitHub: GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are files, the tool comes from PACKAGE_DIR.
#   tests/distribution/action.sh PACKAGE_DIR SERVER_DLL
# One small run per exit code the action maps: 0 conformant (the reference server), 1 non-conformant
# (a faulty server without the uid check), 2 usage error (an unknown scenario id; an empty server input),
# 3 server failed (a server that exits at once). Checks the exit code, the outputs, the annotation and
# the step summary of each. Last line: "N passed, N failed, N skipped".
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/distribution/checks.sh
. "$here/checks.sh"

packages=$(readlink -f "$1")
server_dll=$(readlink -f "$2")
dotnet=$(readlink -f "$(command -v dotnet)")
action="$repo/scripts/confkit-action.sh"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# run_action NAME [VAR=VALUE...]: runs the action script in a fresh "job" directory with the given inputs;
# sets CODE, OUT (its output), OUTPUTS (the GITHUB_OUTPUT file) and SUMMARY (the step summary file).
run_action() {
  local name=$1; shift
  local job="$scratch/$name"
  mkdir -p "$job"
  : > "$job/output"
  : > "$job/summary"
  CODE=0
  OUT=$(cd "$job" && env GITHUB_OUTPUT="$job/output" GITHUB_STEP_SUMMARY="$job/summary" RUNNER_TEMP="$scratch" \
        CONFKIT_SOURCE="$packages" CONFKIT_TOOL_PATH="$scratch/tool" "$@" "$action" 2>&1) || CODE=$?
  OUTPUTS="$job/output"
  SUMMARY="$job/summary"
  REPORTS="$job/confkit-report"
}

# expect_run CODE RESULT ANNOTATION_ERE SUMMARY_ERE: checks the last run_action (SUMMARY_ERE "-": not checked).
expect_run() {
  local code=$1 result=$2 annotation=$3 summary=$4 problems=""
  [ "$CODE" -eq "$code" ] || problems+="exit $CODE, expected $code; "
  grep -qx "result=$result" "$OUTPUTS" || problems+="no result=$result in GITHUB_OUTPUT ($(tr '\n' ' ' < "$OUTPUTS")); "
  grep -qx "exit-code=$code" "$OUTPUTS" || problems+="no exit-code=$code in GITHUB_OUTPUT; "
  grep -Eq -- "$annotation" <<< "$OUT" || problems+="no annotation matching /$annotation/; "
  [ "$summary" = "-" ] || grep -Eq -- "$summary" "$SUMMARY" || problems+="step summary does not match /$summary/; "
  [ -z "$problems" ] || { echo "$problems"; tail -n 15 <<< "$OUT"; return 1; }
}

reference="$dotnet $server_dll --config {config}"

run_action conformant CONFKIT_SERVER="$reference" CONFKIT_ARGS="--id 'hello.*' --parallel 4"
check "exit 0 -> conformant, a notice, the kit's Markdown report in the step summary" \
  expect_run 0 conformant '^::notice title=confkit::conformant: 3 passed, 0 failed' 'hello\.announces-max'
check_output "exit 0 -> the summary output is the kit's last line" '^summary=3 passed, 0 failed, 0 skipped$' cat "$OUTPUTS"
check "the reports (junit.xml, report.json) are in the report directory the upload step takes" \
  test -s "$REPORTS/junit.xml" -a -s "$REPORTS/report.json"

faulty="/usr/bin/python3 $repo/tests/faulty-servers/faulty_server.py --fault no-uid-check --config {config}"
run_action nonconformant CONFKIT_SETUP_USERS=false CONFKIT_SERVER="$faulty" CONFKIT_ARGS="--requirement AUTH-3"
check "exit 1 -> non-conformant, an error annotation listing the failures" \
  expect_run 1 non-conformant '^::error title=confkit::the server is not conformant: [0-9]+ passed, [1-9][0-9]* failed.*%0AFAIL ' 'FAIL|fail'

run_action usage CONFKIT_SETUP_USERS=false CONFKIT_SERVER="$reference" CONFKIT_ARGS="--id no-such-scenario"
check "exit 2 -> error (usage), the server not judged, said in the summary" \
  expect_run 2 error '^::error title=confkit::the kit could not run \(exit 2' 'Error \(exit 2\)'

run_action servedied CONFKIT_SETUP_USERS=false CONFKIT_SERVER="/bin/false {config}" CONFKIT_ARGS="--id 'hello.*'"
check "exit 3 -> server-failed, an error annotation, said in the summary" \
  expect_run 3 server-failed '^::error title=confkit::the server under test failed to start or died \(exit 3\)' 'Error \(exit 3\)'

run_action noserver CONFKIT_SETUP_USERS=false CONFKIT_SERVER=""
check "empty server input -> exit 2 before installing anything" \
  expect_run 2 error "^::error title=confkit::the 'server' input is empty" -

run_action badargs CONFKIT_SETUP_USERS=false CONFKIT_SERVER="$reference" CONFKIT_ARGS="--id 'unterminated"
check "args that do not parse as shell words -> exit 2, nothing run" \
  expect_run 2 error "^::error title=confkit::the 'args' input does not parse" -

finish
