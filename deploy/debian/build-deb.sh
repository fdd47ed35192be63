#!/usr/bin/env bash
# Builds the Debian package `confupdate` with dpkg-deb (no debhelper, no fakeroot):
#   /usr/lib/confupdate/            the server (confupdate-server) and the CLI (confupdate), one self-contained
#                                   `dotnet publish` each into the same directory: no .NET runtime on the host
#   /usr/bin/confupdate             a symlink to the CLI
#   /lib/systemd/system/            deploy/confupdate.socket and deploy/confupdate.service
#   /usr/lib/tmpfiles.d/confupdate.conf   /run/confupdate, root:root 0755
#   /etc/confupdate/confupdate.json the example configuration, a conffile, root:root 0640
#
#   deploy/debian/build-deb.sh [--output DIR] [--arch amd64|arm64] [--version V] [--publish-dir DIR]
#
# --publish-dir reuses (or, when empty, fills) a directory holding both self-contained publishes, so a test
# run publishes once. Prints the path of the .deb as its last line.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
here="$root/deploy/debian"

output="$root/artifacts/deb"
arch=amd64
version=""
publish=""
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --publish-dir) publish=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

case "$arch" in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "build-deb.sh: --arch must be amd64 or arm64, got '$arch'" >&2; exit 2 ;;
esac

if [ -z "$version" ]; then
  # The one version of everything this repository ships (Directory.Build.props).
  version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$publish" ]; then
  publish="$work/publish"
fi

# Self-contained: the runtime is in the package. Publish properties are given here, on the command line;
# the projects' own publish settings (ReadyToRun, trimming) apply as they are.
if [ ! -x "$publish/confupdate-server" ] || [ ! -x "$publish/confupdate" ]; then
  mkdir -p "$publish"
  for project in server/ConfUpdate.Server client/ConfUpdate.Cli; do
    dotnet publish "$root/$project" -c Release -r "$rid" --self-contained true \
      -p:UseAppHost=true -o "$publish" --verbosity quiet -clp:ErrorsOnly >&2
  done
fi

pkg="$work/pkg"
lib="$pkg/usr/lib/confupdate"
install -d -m 0755 "$lib" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/usr/lib/tmpfiles.d" \
  "$pkg/etc/confupdate" "$pkg/usr/share/doc/confupdate" "$pkg/DEBIAN"
cp -a "$publish/." "$lib/"
# Debug symbols are not shipped; the LTTng tracing provider needs liblttng-ust, which the runtime only
# loads when LTTng tracing is asked for, so it is left out rather than made a dependency.
find "$lib" \( -name '*.pdb' -o -name '*.dbg' -o -name 'libcoreclrtraceptprovider.so' \) -delete
# Files 0644, directories and ELF executables 0755, owned by root (--root-owner-group below).
find "$lib" -type d -exec chmod 0755 {} +
find "$lib" -type f -exec chmod 0644 {} +
chmod 0755 "$lib/confupdate-server" "$lib/confupdate" "$lib"/*.so
ln -s ../lib/confupdate/confupdate "$pkg/usr/bin/confupdate"

install -m 0644 "$root/deploy/confupdate.socket" "$root/deploy/confupdate.service" "$pkg/lib/systemd/system/"
install -m 0644 "$here/confupdate.tmpfiles" "$pkg/usr/lib/tmpfiles.d/confupdate.conf"
# 0640 root:root: it decides who may replace which files; only the server (root) reads it.
install -m 0640 "$root/deploy/confupdate.json" "$pkg/etc/confupdate/confupdate.json"
install -m 0644 "$here/copyright" "$pkg/usr/share/doc/confupdate/copyright"
install -m 0644 "$root/deploy/README.md" "$pkg/usr/share/doc/confupdate/README.md"
install -m 0644 "$root/docs/SPEC.md" "$pkg/usr/share/doc/confupdate/SPEC.md"

install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$pkg/DEBIAN/"
echo /etc/confupdate/confupdate.json > "$pkg/DEBIAN/conffiles"
chmod 0644 "$pkg/DEBIAN/conffiles"

installed_size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
# Depends: what the ELF files link (ldd: libc, libm, libdl, libpthread, librt -> libc6 >= 2.27, the newest
# GLIBC_ symbol version they use; libgcc_s -> libgcc-s1; libstdc++ GLIBCXX_3.4.22 -> libstdc++6 >= 6),
# plus OpenSSL, which the runtime's crypto shim dlopens (SHA-256 content versions, SPEC OP-2) and ldd
# cannot see. No libicu: the programs run with InvariantGlobalization. tests/distribution/deb.sh checks
# that every library ldd reports belongs to one of these packages.
cat > "$pkg/DEBIAN/control" <<EOF
Package: confupdate
Version: $version
Architecture: $arch
Maintainer: ConfUpdate contributors <confupdate@example.invalid>
Installed-Size: $installed_size
Depends: libc6 (>= 2.27), libgcc-s1, libstdc++6 (>= 6), libssl3 | libssl1.1
Recommends: systemd
Section: admin
Priority: optional
Homepage: https://example.invalid/confupdate
Description: privileged configuration-file update server over a SOCK_SEQPACKET socket
 confupdate-server lets an unprivileged web application (www-data) replace configuration files that only
 root may write: it listens on an AF_UNIX SOCK_SEQPACKET socket, learns each peer's uid from the kernel
 (SO_PEERCRED), refuses peers that are not allowed, and installs each update atomically and durably after
 its own checks. confupdate is the command-line client.
 .
 The programs are self-contained .NET builds: no .NET runtime is needed. The service is installed but
 neither enabled nor started: edit /etc/confupdate/confupdate.json, then run
 systemctl enable --now confupdate.socket.
EOF

mkdir -p "$output"
deb="$output/confupdate_${version}_${arch}.deb"
# gzip -6: the payload is ~80 MB of binaries. Measured on the 2-core test machine under load: gzip -9
# (dpkg-deb's default) 33 s, -6 12 s for a 0.3 % larger file, -1 6 s for 8 % larger; xz takes minutes.
dpkg-deb --root-owner-group -Zgzip -z6 --build "$pkg" "$deb" >&2
echo "$deb"
