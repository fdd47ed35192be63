#!/usr/bin/env bash
# The NuGet packages and the confkit dotnet tool, as a user gets them:
#   tests/distribution/tool.sh PACKAGE_DIR SERVER_DLL
# PACKAGE_DIR holds the packed .nupkg files (run-tests.sh packs them once). The tool is installed with
# `dotnet tool install --tool-path SCRATCH --add-source PACKAGE_DIR` into a 0700 scratch directory (as under a
# home directory), and run from `/`, where no checkout is above it: --version, list, coverage, run against
# the reference server (every scenario, --strict; its counts are added to this script's), run without
# --server (a usage error), and --scenarios overriding the bundled scenarios.
# Last line: "N passed, N failed, N skipped".
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/distribution/checks.sh
. "$here/checks.sh"

packages=$(readlink -f "$1")
server_dll=$(readlink -f "$2")
dotnet=$(readlink -f "$(command -v dotnet)")
tool_id=ConfUpdate.ConformanceKit

scratch=$(mktemp -d)
chmod 0700 "$scratch"
trap 'rm -rf "$scratch"' EXIT

# --- package metadata: license, readme, repository, tags on every package meant for NuGet ----------------
# zip_list NUPKG / zip_nuspec NUPKG: a package's entries and its .nuspec (python3's zipfile: no unzip needed).
zip_list() { python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; }
zip_nuspec() {
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read(next(n for n in z.namelist() if n.endswith(".nuspec"))).decode())' "$1"
}

nuspec_has_metadata() {
  local nupkg=$1 nuspec
  nuspec=$(zip_nuspec "$nupkg") || return 1
  for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git" url="' '<tags>' '<description>'; do
    grep -qF -- "$field" <<< "$nuspec" || { echo "$nupkg: no $field in the nuspec"; return 1; }
  done
  zip_list "$nupkg" | grep -x README.md > /dev/null || { echo "$nupkg: README.md not in the package"; return 1; }
}
for id in ConfUpdate.Native ConfUpdate.Protocol ConfUpdate.Client ConfUpdate.Client.DependencyInjection "$tool_id"; do
  check "package $id has license, readme, repository URL and tags" nuspec_has_metadata "$packages/$id.1.0.0.nupkg"
done

# The tool package carries what a run needs in tools/net10.0/any/kit/.
tool_has_bundle() {
  local listing
  listing=$(zip_list "$packages/$tool_id.1.0.0.nupkg") || return 1
  for entry in kit/scenarios/schema/scenario.schema.json kit/scenarios/auth.yaml kit/SPEC.md kit/probe/confkit-probe.dll kit/client/confupdate.dll; do
    grep -qxF "tools/net10.0/any/$entry" <<< "$listing" || { echo "missing tools/net10.0/any/$entry"; return 1; }
  done
}
check "tool package bundles the scenarios, schema, SPEC.md, probe and client" tool_has_bundle

# --- install and run from / -------------------------------------------------------------------------
check "dotnet tool install --tool-path (scratch, 0700) --add-source" \
  dotnet tool install --tool-path "$scratch/tools" --add-source "$packages" "$tool_id"
confkit="$scratch/tools/confkit"
cd /

check_output "confkit --version from /" '^1\.0\.0' "$confkit" --version
check_output "confkit list from / finds the bundled scenarios" '^auth\.denied-user-gets-forbidden	' "$confkit" list --no-color
check_output "confkit coverage from / reads the bundled SPEC.md" 'of [0-9]+ requirements covered' "$confkit" coverage --no-color

no_server() {
  local out rc=0
  out=$("$confkit" run --no-color 2>&1) || rc=$?
  [ "$rc" -eq 2 ] && grep -q -- '--server' <<< "$out" || { echo "exit $rc: $out"; return 1; }
}
check "confkit run without --server is a usage error (exit 2) naming --server" no_server

# --scenarios still overrides: a directory with one scenario file and the schema runs just that file's.
mkdir -p "$scratch/scenarios"
cp -r "$repo/scenarios/schema" "$repo/scenarios/hello.yaml" "$scratch/scenarios/"
expected=$(grep -c '^  - id:' "$scratch/scenarios/hello.yaml")
check_output "confkit list --scenarios DIR lists only that directory's scenarios" "^confkit: $expected of $expected scenarios selected" \
  "$confkit" list --no-color --strict --scenarios "$scratch/scenarios"

echo "  running the installed confkit from / against the reference server (every scenario, --strict)"
count_kit_run "$scratch/kit.log" "$confkit" run --no-color --strict --report-dir "$scratch/report" \
  --server "$dotnet $server_dll --config {config}"
check "the run wrote report.json and junit.xml" test -s "$scratch/report/report.json" -a -s "$scratch/report/junit.xml"

finish
