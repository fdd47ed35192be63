#!/usr/bin/env bash
# Creates the accounts the tests and the conformance kit act as. Idempotent: safe to run again.
#   www-data (33)        allowed by user name       (exists on Debian)
#   nobody (65534)       denied; the overflow uid   (exists on Debian)
#   confkit-member       allowed only through its supplementary group confkit-writers
#   confkit-stranger     denied; an ordinary account nobody listed
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

for u in www-data nobody confkit-member confkit-stranger; do
  getent passwd "$u" >/dev/null || { echo "setup-test-users.sh: account $u is missing" >&2; exit 2; }
done
echo "test users ready: www-data nobody confkit-member(+confkit-writers) confkit-stranger"
