#!/usr/bin/env bash
# Creates the accounts the tests and the conformance kit act as. Idempotent: safe to run again.
#   www-data (33)        allowed by user name       (exists on Debian)
#   nobody (65534)       denied; the overflow uid   (exists on Debian)
#   confkit-member       allowed only through its supplementary group confkit-writers
#   confkit-stranger     denied; an ordinary account nobody listed
#   confkit-sudoer       not a test identity: a login-less account with passwordless sudo and a home, that
#                        scripts/check-as-sudo-user.sh runs run-tests.sh and run-kit.sh as (they must re-run
#                        themselves through sudo -n and leave no root-owned file in its checkout); its sudoers
#                        drop-in is written when sudo is installed
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-test-users.sh: must run as root to create accounts (try: sudo $0)" >&2
  exit 2
fi

getent group confkit-writers >/dev/null || groupadd --system confkit-writers
getent passwd confkit-member >/dev/null || \
  useradd --system --no-create-home --shell /usr/sbin/nologin --groups confkit-writers confkit-member
# Make sure the membership is there even if the account pre-existed without it.
id -nG confkit-member | tr ' ' '\n' | grep -qx confkit-writers || usermod -a -G confkit-writers confkit-member
getent passwd confkit-stranger >/dev/null || \
  useradd --system --no-create-home --shell /usr/sbin/nologin confkit-stranger

getent passwd confkit-sudoer >/dev/null || \
  useradd --system --create-home --home-dir /var/lib/confkit-sudoer --shell /usr/sbin/nologin confkit-sudoer
if [ -d /etc/sudoers.d ]; then
  dropin=/etc/sudoers.d/confkit-sudoer
  rule="confkit-sudoer ALL=(ALL:ALL) NOPASSWD: ALL"
  if [ "$(cat "$dropin" 2>/dev/null)" != "$rule" ]; then
    # Written aside and checked first: a broken drop-in would break sudo for everyone.
    printf '%s\n' "$rule" > "$dropin.tmp"
    chmod 0440 "$dropin.tmp"
    if command -v visudo >/dev/null && ! visudo -cqf "$dropin.tmp"; then
      rm -f "$dropin.tmp"
      echo "setup-test-users.sh: the sudoers rule for confkit-sudoer does not parse" >&2
      exit 2
    fi
    mv "$dropin.tmp" "$dropin"
  fi
fi

for u in www-data nobody confkit-member confkit-stranger confkit-sudoer; do
  getent passwd "$u" >/dev/null || { echo "setup-test-users.sh: account $u is missing" >&2; exit 2; }
done
echo "test users ready: www-data nobody confkit-member(+confkit-writers) confkit-stranger confkit-sudoer"
