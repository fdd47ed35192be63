# Sourced by run-tests.sh and run-kit.sh (bash). Both need root: the kit starts the server under test as root
# and acts as other accounts for real. A user with passwordless sudo gets the same result as root, and the
# checkout stays theirs:
#
#   reexec_as_root NAME SCRIPT ARGS...  not root: re-runs SCRIPT through `sudo -n` after a one-line notice, or
#                                       exits 2 with one line saying what to do when that cannot work.
#   as_invoker CMD...                   as root under sudo, in a checkout owned by the user who ran sudo: runs
#                                       CMD as that user (setpriv), so that build outputs (bin/, obj/) and the
#                                       NuGet cache are theirs; otherwise runs CMD as it is.
#   give_back                           chowns to that user every root-owned file in the checkout (test results,
#                                       reports), so that their own `dotnet build` and `git clean` keep working.
#
# The caller sets CHECKOUT (the checkout's absolute path) before sourcing.

reexec_as_root() {
  local name=$1 script=$2
  shift 2
  [ "$(id -u)" -eq 0 ] && return 0
  local me
  me=$(id -un)
  if ! command -v sudo >/dev/null 2>&1; then
    echo "$name: must run as root (the kit starts the server as root and acts as other users); sudo is not installed: run it as root, or install sudo and give $me passwordless sudo" >&2
    exit 2
  fi
  if ! sudo -n true >/dev/null 2>&1; then
    echo "$name: must run as root (the kit starts the server as root and acts as other users), and \`sudo -n\` does not work for $me (it needs a password): run it as root, or give $me passwordless sudo" >&2
    exit 2
  fi
  echo "$name: not root; re-running through sudo -n as root (builds run as $me, and files written in the checkout are given back to $me)" >&2
  # sudo resets the environment: keep PATH (where dotnet is) and the variables the scripts and the kit read.
  exec sudo -n -- env "PATH=$PATH" \
    ${DOTNET_ROOT:+"DOTNET_ROOT=$DOTNET_ROOT"} \
    ${GITHUB_STEP_SUMMARY:+"GITHUB_STEP_SUMMARY=$GITHUB_STEP_SUMMARY"} \
    ${NO_COLOR:+"NO_COLOR=$NO_COLOR"} \
    ${CI:+"CI=$CI"} \
    "$script" "$@"
}

# The user on whose behalf root runs: set only under sudo, and only when that user owns the checkout
# (a checkout root cloned itself stays root's).
INVOKER_UID=""
INVOKER_GID=""
INVOKER_NAME=""
INVOKER_HOME=""
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_UID:-}" ] && [ "${SUDO_UID}" != 0 ] \
   && [ "$(stat -c %u "$CHECKOUT")" = "$SUDO_UID" ]; then
  INVOKER_UID=$SUDO_UID
  INVOKER_GID=${SUDO_GID:-$(id -g "$SUDO_UID")}
  INVOKER_NAME=$(getent passwd "$SUDO_UID" | cut -d: -f1)
  INVOKER_HOME=$(getent passwd "$SUDO_UID" | cut -d: -f6)
fi

as_invoker() {
  if [ -z "$INVOKER_UID" ]; then
    "$@"
    return
  fi
  setpriv --reuid="$INVOKER_UID" --regid="$INVOKER_GID" --init-groups -- \
    env "HOME=$INVOKER_HOME" "USER=$INVOKER_NAME" "LOGNAME=$INVOKER_NAME" "$@"
}

give_back() {
  [ -n "$INVOKER_UID" ] || return 0
  find "$CHECKOUT" -xdev -uid 0 -exec chown -h "$INVOKER_UID:$INVOKER_GID" {} + 2>/dev/null || true
}
