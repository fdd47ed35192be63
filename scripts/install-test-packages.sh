#!/usr/bin/env bash
# Installs the few Debian packages the tests need when they are missing (idempotent; run as root):
#   sudo                    the canonical user switch (sudo -n -u), and the passwordless-sudo account's check
#   systemd                 systemd-socket-activate (socket-activation test), systemd-analyze (unit check),
#                           systemd-tmpfiles (the Debian package's postinst, tests/distribution/deb.sh)
# The Debian package test needs nothing more: dpkg-deb, apt-get, unshare and ldd are in every Debian.
#   python3 (/usr/bin)      raw socket sends as other users and the Python example server
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v sudo >/dev/null || missing+=(sudo)
command -v systemd-socket-activate >/dev/null || missing+=(systemd)
[ -x /usr/bin/python3 ] || missing+=(python3)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-packages.sh: ${missing[*]} missing; run as root to install them (apt-get install ${missing[*]})" >&2
  exit 2
fi
echo "install-test-packages.sh: installing ${missing[*]}"
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
