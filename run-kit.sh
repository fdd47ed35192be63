#!/usr/bin/env bash
# Builds the solution and runs the conformance kit (confkit) against a server: the reference server by
# default, the Python example with --python, or any implementation with --server "CMD {config}".
#
#   ./run-kit.sh                         every MUST scenario against the reference server (--strict: SHOULD too)
#   ./run-kit.sh --python                against examples/python-server (uses /usr/bin/python3)
#   ./run-kit.sh --id auth.denied-user   one scenario; --tag, --requirement, --strict, ... as `confkit run --help`
#   ./run-kit.sh list --tag sizes        other confkit commands: list, coverage (anywhere: --tag sizes list works too)
#   ./run-kit.sh --no-build ...          skip the build (run-tests.sh builds once)
#   ./run-kit.sh --help                  this text and confkit's options; builds nothing, needs no root
#
# Needs root: the kit starts the server as root and switches to the test accounts with setpriv. Run by another
# user, it re-runs itself through `sudo -n` (passwordless sudo); the build then runs as that user and every file
# written in the checkout is given back to them. It creates the test accounts (scripts/setup-test-users.sh).
# Exit codes are confkit's (0 conformant, 1 non-conformant, 2 usage or environment error, 3 server under test
# failed); 2 also for a failed build.
set -euo pipefail

CHECKOUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
confkit="$CHECKOUT/harness/ConfUpdate.Harness.Cli/bin/Release/net10.0/confkit.dll"

build=1
help=0
args=()
for arg in "$@"; do
  case "$arg" in
    --python)
      # Root's python3 may be a pyenv shim that other accounts cannot run: name the system interpreter.
      args+=(--server "/usr/bin/python3 $CHECKOUT/examples/python-server/confupdate_server.py --config {config}")
      ;;
    --no-build)
      build=0
      ;;
    -h|--help|-\?)
      help=1
      args+=("$arg")
      ;;
    *)
      args+=("$arg")
      ;;
  esac
done

if [ "$help" -eq 1 ]; then
  # Help needs neither root nor a build nor the test accounts.
  sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
  if [ -f "$confkit" ] && command -v dotnet >/dev/null 2>&1; then
    echo
    exec dotnet "$confkit" ${args[@]+"${args[@]}"}
  fi
  echo
  echo "(confkit is not built yet, so its own options are not listed: the first ./run-kit.sh builds it; then ./run-kit.sh --help lists them.)"
  exit 0
fi

# shellcheck source=scripts/lib/as-root.sh
. "$CHECKOUT/scripts/lib/as-root.sh"
reexec_as_root run-kit.sh "$0" "$@"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run-kit.sh: dotnet is not on PATH; install the .NET 10 SDK (see global.json)." >&2
  exit 2
fi

"$CHECKOUT/scripts/setup-test-users.sh" >/dev/null
trap give_back EXIT

if [ "$build" -eq 1 ]; then
  echo "run-kit.sh: building ConformanceKit.sln (Release)${INVOKER_NAME:+ as $INVOKER_NAME}..." >&2
  if ! log="$(as_invoker dotnet build "$CHECKOUT/ConformanceKit.sln" -c Release -nologo -v quiet -clp:ErrorsOnly 2>&1)"; then
    printf '%s\n' "$log" >&2
    echo "run-kit.sh: the build failed (output above)." >&2
    exit 2
  fi
elif [ ! -f "$confkit" ]; then
  echo "run-kit.sh: --no-build, but $confkit does not exist; run without --no-build first." >&2
  exit 2
fi

# Failure reports print a rerun line; make it name this script rather than the assembly.
if [ "$(pwd)" = "$CHECKOUT" ]; then export CONFKIT_RERUN_PREFIX="./run-kit.sh"; else export CONFKIT_RERUN_PREFIX="$CHECKOUT/run-kit.sh"; fi
# Not exec: the files the kit writes (reports) are given back on exit. confkit puts a command word given
# after options (--tag sizes list) first itself; running is its default.
status=0
dotnet "$confkit" ${args[@]+"${args[@]}"} || status=$?
exit "$status"
