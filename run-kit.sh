#!/usr/bin/env bash
# Builds the solution and runs the conformance kit (confkit) against a server: the reference server by
# default, the Python example with --python, or any implementation with --server "CMD {config}".
#
#   ./run-kit.sh                         every MUST scenario against the reference server
#   ./run-kit.sh --python                against examples/python-server (uses /usr/bin/python3)
#   ./run-kit.sh --id auth.denied-user   one scenario; --tag, --requirement, --strict, ... as `confkit run --help`
#   ./run-kit.sh list --tag sizes        other confkit commands: list, coverage
#   ./run-kit.sh --no-build ...          skip the build (run-tests.sh builds once)
#
# Needs root: the kit starts the server as root and switches to the test accounts with setpriv. As another
# user it re-executes itself with sudo when sudo is installed. Exit codes are confkit's (0 conformant,
# 1 non-conformant, 2 usage or environment error, 3 server under test failed); 2 also for a failed build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    # Keep the caller's PATH (where dotnet is) and the variables the kit reads; sudo resets the rest.
    exec sudo -- env "PATH=$PATH" \
      ${DOTNET_ROOT:+"DOTNET_ROOT=$DOTNET_ROOT"} \
      ${GITHUB_STEP_SUMMARY:+"GITHUB_STEP_SUMMARY=$GITHUB_STEP_SUMMARY"} \
      ${NO_COLOR:+"NO_COLOR=$NO_COLOR"} \
      "$0" "$@"
  fi
  echo "run-kit.sh: must run as root (the kit starts the server under test as root and switches to the test users);" >&2
  echo "            sudo is not installed: run it as root (e.g. su -c '$0'), or install sudo." >&2
  exit 2
fi

command="run"
build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --python)
      # Root's python3 may be a pyenv shim that other accounts cannot run: name the system interpreter.
      args+=(--server "/usr/bin/python3 $root/examples/python-server/confupdate_server.py --config {config}")
      ;;
    --no-build)
      build=0
      ;;
    run|list|coverage)
      if [ ${#args[@]} -eq 0 ]; then command="$arg"; else args+=("$arg"); fi
      ;;
    -h|--help|-\?)
      # The root help has the examples, the exit codes and every run option.
      if [ "$command" = "run" ]; then command=""; fi
      args+=("$arg")
      ;;
    *)
      args+=("$arg")
      ;;
  esac
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run-kit.sh: dotnet is not on PATH; install the .NET 10 SDK (see global.json)." >&2
  exit 2
fi

"$root/scripts/setup-test-users.sh" >/dev/null

confkit="$root/harness/ConfUpdate.Harness.Cli/bin/Release/net10.0/confkit.dll"
if [ "$build" -eq 1 ]; then
  echo "run-kit.sh: building ConformanceKit.sln (Release)..." >&2
  if ! log="$(dotnet build "$root/ConformanceKit.sln" -c Release -nologo -v quiet -clp:ErrorsOnly 2>&1)"; then
    printf '%s\n' "$log" >&2
    echo "run-kit.sh: the build failed (output above)." >&2
    exit 2
  fi
elif [ ! -f "$confkit" ]; then
  echo "run-kit.sh: --no-build, but $confkit does not exist; run without --no-build first." >&2
  exit 2
fi

# Failure reports print a rerun line; make it name this script rather than the assembly.
if [ "$(pwd)" = "$root" ]; then export CONFKIT_RERUN_PREFIX="./run-kit.sh"; else export CONFKIT_RERUN_PREFIX="$root/run-kit.sh"; fi
exec dotnet "$confkit" ${command:+"$command"} ${args[@]+"${args[@]}"}
