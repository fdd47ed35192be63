#!/usr/bin/env bash
# The script behind action.yml (the GitHub Actions composite action), plain shell so it runs anywhere:
# installs the confkit dotnet tool, creates the test accounts, runs the kit against a server command, and
# turns the kit's exit code into GitHub annotations, step outputs and the step summary.
#
# Inputs (environment; action.yml maps its inputs to these):
#   CONFKIT_SERVER       required: the server command, with {config} (and optionally {socket})
#   CONFKIT_VERSION      the ConfUpdate.ConformanceKit version to install (default: the newest)
#   CONFKIT_SOURCE       an extra NuGet source (URL or directory) to install from
#   CONFKIT_ARGS         more `confkit run` arguments, shell words (e.g. "--strict --tag auth")
#   CONFKIT_REPORT_DIR   where the reports go (default: confkit-report)
#   CONFKIT_TOOL_PATH    where the tool is installed (default: $RUNNER_TEMP/confkit-tool)
#   CONFKIT_SETUP_USERS  "true" (default) to create the kit's test accounts first
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   set by GitHub; optional elsewhere
# Outputs (to $GITHUB_OUTPUT): exit-code, result (conformant | non-conformant | error | server-failed |
# interrupted), summary (the kit's "N passed, N failed, N skipped" line), report-dir.
#
# Exit code: the kit's own: 0 conformant; 1 non-conformant (the job fails: the server breaks the spec);
# 2 usage or environment error and 3 the server under test failed to start or died (the job fails with an
# error annotation saying the kit could not judge the server); 130 interrupted.
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
tool_id=ConfUpdate.ConformanceKit

server=${CONFKIT_SERVER:-}
report_dir=${CONFKIT_REPORT_DIR:-confkit-report}
tool_path=${CONFKIT_TOOL_PATH:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/confkit-tool}
setup_users=${CONFKIT_SETUP_USERS:-true}

# output NAME VALUE: a step output (GitHub) or nothing.
output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; fi
}

# annotate LEVEL MESSAGE: a workflow command GitHub shows on the run page; plain text in other logs.
annotate() {
  local level=$1 message=$2
  # Workflow commands end at a newline; %0A is GitHub's escaped newline.
  message=${message//'%'/'%25'}
  message=${message//$'\n'/'%0A'}
  echo "::$level title=confkit::$message"
}

# summarize TEXT: appended to the job's step summary (Markdown).
summarize() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf '%s\n' "$1" >> "$GITHUB_STEP_SUMMARY"; fi
}

# As another user, the steps that need root go through passwordless sudo (GitHub's hosted runners have it).
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo -n -E env "PATH=$PATH")
fi

if [ -z "$server" ]; then
  annotate error "the 'server' input is empty: give the command that starts your server, with {config} for the configuration file the kit writes."
  output exit-code 2
  output result error
  exit 2
fi

# --- install the tool ------------------------------------------------------------------------------------
install_args=(--tool-path "$tool_path")
if [ -n "${CONFKIT_VERSION:-}" ]; then install_args+=(--version "$CONFKIT_VERSION"); fi
if [ -n "${CONFKIT_SOURCE:-}" ]; then install_args+=(--add-source "$CONFKIT_SOURCE"); fi
# `update` installs when absent and updates (or keeps) an installed one: re-runs on one runner work too.
if ! install_log=$(dotnet tool update "${install_args[@]}" "$tool_id" 2>&1); then
  annotate error "could not install the $tool_id dotnet tool: $(tail -n 5 <<< "$install_log")"
  summarize $'## confkit\n\n**Error:** the kit could not be installed (`dotnet tool update '"$tool_id"'`).'
  output exit-code 2
  output result error
  exit 2
fi
echo "confkit: $(tail -n 1 <<< "$install_log")"

if [ "$setup_users" = "true" ]; then
  if ! users_log=$("${as_root[@]}" "$here/setup-test-users.sh" 2>&1); then
    annotate error "could not create the kit's test accounts (scripts/setup-test-users.sh needs root or passwordless sudo): $(tail -n 3 <<< "$users_log")"
    output exit-code 2
    output result error
    exit 2
  fi
fi

# --- run -------------------------------------------------------------------------------------------------
extra=()
if [ -n "${CONFKIT_ARGS:-}" ]; then
  # Words split as a shell would (quotes and backslashes honoured, by xargs), but never evaluated.
  words=$(mktemp)
  if ! printf '%s' "$CONFKIT_ARGS" | xargs printf '%s\0' > "$words" 2>/dev/null; then
    rm -f "$words"
    annotate error "the 'args' input does not parse as shell words (an unmatched quote?): $CONFKIT_ARGS"
    output exit-code 2
    output result error
    exit 2
  fi
  mapfile -d '' extra < "$words"
  rm -f "$words"
fi

mkdir -p "$report_dir"
log="$report_dir/confkit.log"
# confkit appends its Markdown report to $GITHUB_STEP_SUMMARY itself; sudo -E keeps the variable.
"${as_root[@]}" "$tool_path/confkit" run --no-color --report-dir "$report_dir" --server "$server" "${extra[@]}" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)

output exit-code "$code"
output summary "$summary"
output report-dir "$report_dir"
case "$code" in
  0)
    output result conformant
    annotate notice "conformant: $summary"
    ;;
  1)
    output result non-conformant
    failed=$(grep -E '^FAIL ' "$log" | head -n 20)
    annotate error "the server is not conformant: $summary"$'\n'"$failed"
    ;;
  2)
    output result error
    reason=$(grep -E '^confkit: ' "$log" | tail -n 3)
    annotate error "the kit could not run (exit 2, usage or environment error), so the server was not judged: ${reason:-see the log}"
    summarize $'## confkit\n\n**Error (exit 2):** the kit could not run; the server was not judged.\n\n```\n'"$(tail -n 15 "$log")"$'\n```'
    ;;
  3)
    output result server-failed
    reason=$(grep -E '^confkit: ' "$log" | tail -n 3)
    annotate error "the server under test failed to start or died (exit 3), so it was not judged: ${reason:-see the log}"
    summarize $'## confkit\n\n**Error (exit 3):** the server under test failed to start or died.\n\n```\n'"$(tail -n 15 "$log")"$'\n```'
    ;;
  130)
    output result interrupted
    annotate error "the kit was interrupted"
    ;;
  *)
    output result error
    annotate error "confkit exited with $code, which it never does on its own (crashed or killed?)"
    ;;
esac
exit "$code"
