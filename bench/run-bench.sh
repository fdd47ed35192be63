#!/usr/bin/env bash
# Builds what the bench measures, compiles the C baselines with gcc, then runs confupdate-bench: every figure
# of the reference server and the Python example beside its physical-limit baseline (a C echo server on
# SOCK_SEQPACKET, a C DUR-1 durable-write loop with 1 and 8 threads, a one-shot C client), measured in
# alternating rounds with fixed CPU placement (taskset), with the ratio (median, p10, p90) and the load.
# Figures only, no pass/fail.
#
#   bench/run-bench.sh              9 rounds per figure; the reference server and CLI published NativeAOT
#   bench/run-bench.sh --runs 25    more rounds; --help lists the bench's options
#   bench/run-bench.sh --no-build   skip the .NET build and publish (the C programs are always compiled)
#   bench/run-bench.sh --no-aot     measure the framework-dependent Release builds (dotnet + dll) instead
#
# Needs root: the servers run as root and chown their targets. As another user it re-executes itself with
# sudo when installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -- env "PATH=$PATH" ${DOTNET_ROOT:+"DOTNET_ROOT=$DOTNET_ROOT"} "$0" "$@"
  fi
  echo "run-bench.sh: must run as root (the servers run as root and chown their targets); sudo is not installed." >&2
  exit 2
fi

for tool in gcc taskset; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-bench.sh: $tool is needed (apt-get install -y gcc util-linux)" >&2
    exit 2
  fi
done

build=1
aot=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --no-aot) aot=0 ;;
    *) args+=("$arg") ;;
  esac
done

rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
server_aot="$root/server/ConfUpdate.Server/bin/Release/net10.0/$rid/publish/confupdate-server"
cli_aot="$root/client/ConfUpdate.Cli/bin/Release/net10.0/$rid/publish/confupdate"

log="$(mktemp)"
native="$(mktemp -d -t confupdate-bench-native.XXXXXX)"
trap 'rm -rf "$log" "$native"' EXIT
quietly() {
  # Quiet on success; the whole output on failure.
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "run-bench.sh: failed: $*" >&2
    exit 2
  fi
}

if [ "$build" -eq 1 ]; then
  for project in server/ConfUpdate.Server client/ConfUpdate.Cli bench/ConfUpdate.Bench; do
    quietly dotnet build "$root/$project" -c Release -nologo -v quiet
  done
  if [ "$aot" -eq 1 ]; then
    # The same lines README gives for the shipped binaries.
    quietly dotnet publish "$root/server/ConfUpdate.Server" -c Release -r "$rid" -p:PublishAot=true -nologo -v quiet
    quietly dotnet publish "$root/client/ConfUpdate.Cli" -c Release -r "$rid" -p:PublishAot=true -nologo -v quiet
  fi
fi

for program in echo-server durable-loop client; do
  quietly gcc -O2 -Wall -Wextra -Werror -pthread -o "$native/$program" "$root/bench/native/$program.c"
done

# 1000 idle connections need descriptors on both ends.
ulimit -n 8192 2>/dev/null || true

published=()
if [ "$aot" -eq 1 ]; then
  published=(--server "$server_aot" --cli "$cli_aot")
fi
dotnet "$root/bench/ConfUpdate.Bench/bin/Release/net10.0/confupdate-bench.dll" --native "$native" "${published[@]}" "${args[@]}"
