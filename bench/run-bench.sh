#!/usr/bin/env bash
# Builds the reference server, the CLI and the bench in Release (quietly), then runs confupdate-bench:
# spawn-to-ready and round-trip figures of the reference server next to a baseline run side by side
# (the Python example server; the client library for the CLI). Figures only, no pass/fail.
#
#   bench/run-bench.sh              9 runs per figure
#   bench/run-bench.sh --runs 25    more runs; --help lists the options
#   bench/run-bench.sh --no-build   skip the build
#
# Needs root: it starts the servers as root and runs the CLI as www-data with setpriv
# (accounts from scripts/setup-test-users.sh). As another user it re-executes itself with sudo when installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -- env "PATH=$PATH" ${DOTNET_ROOT:+"DOTNET_ROOT=$DOTNET_ROOT"} "$0" "$@"
  fi
  echo "run-bench.sh: must run as root (servers run as root, the CLI as www-data via setpriv); sudo is not installed." >&2
  exit 2
fi

build=1
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done

if [ "$build" -eq 1 ]; then
  log="$(mktemp)"
  for project in server/ConfUpdate.Server client/ConfUpdate.Cli bench/ConfUpdate.Bench; do
    # Quiet on success; the whole build output on failure.
    if ! dotnet build "$root/$project" -c Release -nologo -v quiet >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "run-bench.sh: building $project failed" >&2
      exit 2
    fi
  done
  rm -f "$log"
fi

exec dotnet "$root/bench/ConfUpdate.Bench/bin/Release/net10.0/confupdate-bench.dll" "${args[@]}"
