#!/usr/bin/env bash
# Installs the confupdate .deb on a clean Debian 12 and runs it there, as root: a minimal bookworm made by
# debootstrap (no .NET anywhere in it), `apt-get install ./confupdate_….deb` inside (which fetches the
# dependencies that a minimal system lacks, e.g. libssl3), then the installed server and CLI talk to each
# other inside the chroot, and the package is purged. Needs a Debian mirror; not part of run-tests.sh
# (a minute or more, and network), which checks the same package on this machine without .NET instead.
#
#   deploy/debian/check-clean-debian.sh DEB [MIRROR]
#
# debootstrap is installed if missing and removed again afterwards; the chroot is deleted on exit.
set -euo pipefail

deb=$(readlink -f "${1:?usage: check-clean-debian.sh DEB [MIRROR]}")
mirror=${2:-http://deb.debian.org/debian}
export DEBIAN_FRONTEND=noninteractive

[ "$(id -u)" -eq 0 ] || { echo "check-clean-debian.sh: must run as root (debootstrap, chroot)" >&2; exit 2; }

installed_debootstrap=0
if ! command -v debootstrap >/dev/null; then
  apt-get update -q > /dev/null
  apt-get install -y -q --no-install-recommends debootstrap > /dev/null
  installed_debootstrap=1
fi

root=$(mktemp -d /var/tmp/confupdate-clean-XXXXXX)
cleanup() {
  for m in proc dev/pts dev; do umount "$root/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$root"
  if [ "$installed_debootstrap" -eq 1 ]; then apt-get purge -y -q debootstrap > /dev/null || true; fi
}
trap cleanup EXIT

started=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.log" 2>&1 || { tail -n 20 "$root.log"; exit 1; }
rm -f "$root.log"
echo "debootstrap bookworm minbase: $(( $(date +%s) - started )) s"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"

echo "in the chroot: $(chroot "$root" sh -c 'command -v dotnet || echo "no dotnet"; ls /usr/share/dotnet /usr/lib/dotnet 2>&1 | head -n 2')"
cp "$deb" "$root/tmp/"
started=$(date +%s)
chroot "$root" sh -c "apt-get update -q > /dev/null && apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" | tail -n 3
echo "apt-get install in the chroot: $(( $(date +%s) - started )) s"
chroot "$root" dpkg-query -W -f='${Package} ${Version} ${Status}\n' confupdate

cat > "$root/tmp/smoke.json" <<'EOF'
{ "ConfUpdate": {
    "Socket": { "Path": "/tmp/confupdate.sock", "Mode": "0600" },
    "Allow": { "Uids": [0] },
    "Targets": [ { "Name": "site", "Path": "/tmp/site.conf", "Mode": "0640" } ] } }
EOF
chroot "$root" sh -c '
  set -e
  /usr/lib/confupdate/confupdate-server --config /tmp/smoke.json 2> /tmp/server.log &
  pid=$!
  for i in $(seq 100); do [ -S /tmp/confupdate.sock ] && break; sleep 0.1; done
  confupdate --socket /tmp/confupdate.sock hello
  echo clean > /tmp/input
  confupdate --socket /tmp/confupdate.sock update site --file /tmp/input
  confupdate --socket /tmp/confupdate.sock version site
  test "$(cat /tmp/site.conf)" = clean
  kill -TERM $pid; wait $pid || true
'
chroot "$root" apt-get purge -y -q confupdate | tail -n 1
chroot "$root" sh -c '! dpkg-query -W -f="\${Status}" confupdate 2>/dev/null | grep -q installed && test ! -e /usr/lib/confupdate && test ! -e /etc/confupdate'
echo "clean Debian 12: installed, served an update without .NET, purged"
