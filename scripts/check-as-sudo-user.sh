#!/usr/bin/env bash
# Runs run-kit.sh and run-tests.sh as confkit-sudoer, an account with passwordless sudo (created by
# scripts/setup-test-users.sh), from a copy of this checkout that it owns under a 0700 directory, and checks
# that each script re-runs itself through `sudo -n` with its one-line notice, passes, and leaves no root-owned
# file in the copy; and that --help needs neither root nor a build. Build outputs are copied from this
# checkout, so the runs are --no-build and small (one kit scenario family, one test project): what is checked
# is the scripts, not the build. Run as root (run-tests.sh does). Prints PASS/FAIL lines and, last,
# "N passed, N failed, 0 skipped".
set -euo pipefail

CHECKOUT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
ACCOUNT=confkit-sudoer
passed=0
failed=0
check() { # check LABEL CONDITION-EXIT-STATUS [DETAIL]
  if [ "$2" -eq 0 ]; then echo "PASS $1"; passed=$((passed + 1)); else echo "FAIL $1${3:+: $3}"; failed=$((failed + 1)); fi
}
finish() { echo "$passed passed, $failed failed, 0 skipped"; exit $((failed > 0)); }

if [ "$(id -u)" -ne 0 ]; then
  echo "check-as-sudo-user.sh: run as root (it sets up a copy owned by $ACCOUNT)" >&2
  exit 2
fi
if ! command -v sudo >/dev/null || ! getent passwd "$ACCOUNT" >/dev/null || [ ! -f "/etc/sudoers.d/$ACCOUNT" ]; then
  check "$ACCOUNT exists with passwordless sudo" 1 "run scripts/install-test-packages.sh (sudo) and scripts/setup-test-users.sh first"
  finish
fi
uid=$(id -u "$ACCOUNT")
gid=$(id -g "$ACCOUNT")
home=$(getent passwd "$ACCOUNT" | cut -d: -f6)
as_account() {
  setpriv --reuid="$uid" --regid="$gid" --init-groups -- \
    env -i "HOME=$home" "USER=$ACCOUNT" "LOGNAME=$ACCOUNT" "PATH=$PATH" ${DOTNET_ROOT:+"DOTNET_ROOT=$DOTNET_ROOT"} "$@"
}

# A 0700 directory of the account's own (mktemp -d), holding a copy of the checkout's files (tracked and new,
# as they are now) and its build outputs.
work=$(as_account mktemp -d)
trap 'rm -rf "$work"' EXIT
copy="$work/checkout"
mkdir "$copy"
(cd "$CHECKOUT" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -C "$copy" -xf -
for project in harness/ConfUpdate.Harness.Cli harness/ConfUpdate.Probe server/ConfUpdate.Server client/ConfUpdate.Cli \
               protocol/ConfUpdate.Protocol tests/ConfUpdate.Protocol.Tests; do
  cp -a "$CHECKOUT/$project/bin" "$CHECKOUT/$project/obj" "$copy/$project/"
done
chown -R "$uid:$gid" "$work"

root_owned() { find "$copy" -xdev -uid 0 | head -n 5; }

# --help: no root, no build, no accounts touched (no sudo notice).
out=$(cd "$copy" && as_account ./run-kit.sh --help 2>&1) && status=0 || status=$?
check "run-kit.sh --help as $ACCOUNT exits 0 without sudo" "$(( status != 0 || $(grep -c 'sudo -n as root' <<< "$out") != 0 ))" "exit $status"
out=$(cd "$copy" && as_account ./run-tests.sh --help 2>&1) && status=0 || status=$?
check "run-tests.sh --help as $ACCOUNT exits 0 without sudo" "$(( status != 0 || $(grep -c 'sudo -n as root' <<< "$out") != 0 ))" "exit $status"

# run-kit.sh: re-runs through sudo -n, passes, gives the reports back.
out=$(cd "$copy" && as_account ./run-kit.sh --no-build --no-color --id 'hello.*' 2>&1) && status=0 || status=$?
printf '%s\n' "$out" | sed 's/^/    run-kit.sh: /'
check "run-kit.sh as $ACCOUNT re-runs through sudo -n with a notice" "$(grep -q '^run-kit.sh: not root; re-running through sudo -n as root' <<< "$out"; echo $?)"
check "run-kit.sh as $ACCOUNT passes (exit 0)" "$status" "exit $status"
check "run-kit.sh as $ACCOUNT wrote its report, owned by $ACCOUNT" \
  "$([ "$(stat -c %U "$copy/artifacts/kit-report/report.json" 2>/dev/null)" = "$ACCOUNT" ]; echo $?)"
left=$(root_owned)
check "run-kit.sh as $ACCOUNT leaves no root-owned file in the checkout" "$([ -z "$left" ]; echo $?)" "$left"

# run-tests.sh: the same, on one small test project.
out=$(cd "$copy" && as_account ./run-tests.sh --no-build --only ConfUpdate.Protocol.Tests 2>&1) && status=0 || status=$?
printf '%s\n' "$out" | sed 's/^/    run-tests.sh: /'
check "run-tests.sh as $ACCOUNT re-runs through sudo -n with a notice" "$(grep -q '^run-tests.sh: not root; re-running through sudo -n as root' <<< "$out"; echo $?)"
check "run-tests.sh as $ACCOUNT passes (exit 0, last line 0 failed)" \
  "$([ "$status" -eq 0 ] && tail -n 1 <<< "$out" | grep -Eq '^[1-9][0-9]* passed, 0 failed, 0 skipped$'; echo $?)" "exit $status"
left=$(root_owned)
check "run-tests.sh as $ACCOUNT leaves no root-owned file in the checkout" "$([ -z "$left" ]; echo $?)" "$left"

finish
