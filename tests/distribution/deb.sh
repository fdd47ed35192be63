#!/usr/bin/env bash
# The Debian package, end to end, as root:
#   tests/distribution/deb.sh CONFKIT_DLL
# builds it (deploy/debian/build-deb.sh), checks its contents, installs it with apt-get (offline: its
# dependencies are already installed here), checks what the maintainer scripts made, runs the installed
# binaries where no .NET is reachable (a private mount namespace with an empty tmpfs over the dotnet
# directory), runs the kit (CONFKIT_DLL, from the build) against the installed server the same way, then
# removes it (the conffile stays) and purges it (everything goes). Always purged on exit.
# Last line: "N passed, N failed, N skipped".
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=tests/distribution/checks.sh
. "$here/checks.sh"

confkit_dll=$(readlink -f "$1")
dotnet=$(readlink -f "$(command -v dotnet)")
dotnet_dir=$(dirname "$dotnet")
export DEBIAN_FRONTEND=noninteractive

scratch=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  if dpkg-query -W -f='${Status}' confupdate 2>/dev/null | grep -q 'installed\|config-files'; then
    apt-get purge -y -q confupdate > /dev/null 2>&1 || dpkg --purge confupdate > /dev/null 2>&1
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

if dpkg-query -W -f='${Status}' confupdate 2>/dev/null | grep -q 'installed\|config-files'; then
  echo "  confupdate is installed already (an earlier run stopped half-way?); purging it first"
  apt-get purge -y -q confupdate > /dev/null
fi

# --- build ------------------------------------------------------------------------------------------
started=$(date +%s)
deb=$("$repo/deploy/debian/build-deb.sh" --output "$scratch/deb" --publish-dir "$scratch/publish" 2> "$scratch/build.log" | tail -n 1)
echo "  built $(basename "${deb:-nothing}") in $(( $(date +%s) - started )) s ($(du -m "${deb:-/dev/null}" 2>/dev/null | cut -f1) MB)"
check "build-deb.sh builds a .deb" test -s "$deb" || { cat "$scratch/build.log"; finish; exit 1; }

contents_are_safe() {
  local listing
  listing=$(dpkg-deb -c "$deb")
  # Every entry root-owned; nothing group- or world-writable; no setuid or setgid bit.
  awk '$2 != "root/root" { print "not root-owned:", $0; bad = 1 }
       substr($1, 1, 1) != "l" && (substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w") { print "writable by others:", $0; bad = 1 }
       $1 ~ /[sS]/ { print "setuid/setgid:", $0; bad = 1 }
       END { exit bad }' <<< "$listing" || return 1
  grep -Eq '^-rw-r----- root/root .* \./etc/confupdate/confupdate\.json$' <<< "$listing" || { echo "the config is not 0640 root:root"; return 1; }
  ! grep -q '\./run/' <<< "$listing" || { echo "/run is in the package; it belongs to tmpfiles.d"; return 1; }
}
check "contents: root-owned, nothing writable by group or others, no setuid; config 0640; nothing under /run" contents_are_safe
check_output "conffiles lists the configuration" '^/etc/confupdate/confupdate\.json$' sh -c "dpkg-deb -e '$deb' '$scratch/control' && cat '$scratch/control/conffiles'"
check_output "tmpfiles.d: /run/confupdate root:root 0755" '^d /run/confupdate 0755 root root -$' sh -c "dpkg-deb --fsys-tarfile '$deb' | tar -xO ./usr/lib/tmpfiles.d/confupdate.conf"

# Depends covers what the binaries link: every library ldd resolves belongs to libc6, libgcc-s1 or libstdc++6.
depends_cover_linked_libraries() {
  local depends names libs packages missing=0
  depends=$(dpkg-deb -f "$deb" Depends)
  # "libc6 (>= 2.27), libssl3 | libssl1.1" -> one package name per line.
  names=$(tr ',|' '\n\n' <<< "$depends" | sed 's/(.*//; s/[[:space:]]//g' | grep -v '^$')
  # Libraries the package ships itself (libmscordaccore.so, linked by the debugger shim) are not dependencies.
  libs=$(find "$scratch/publish" -type f \( -name '*.so' -o -name confupdate -o -name confupdate-server \) \
           ! -name libcoreclrtraceptprovider.so -exec ldd {} + 2>&1 \
         | awk '/not found/ { print "NOTFOUND:" $1; next } /=>/ { print $3 }' | grep -v "^$scratch/publish/" | sort -u)
  if grep -q NOTFOUND <<< "$libs"; then echo "unresolved: $libs"; return 1; fi
  packages=$(for lib in $libs; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib"; done | cut -d: -f1 | sort -u)
  echo "linked libraries come from: $(tr '\n' ' ' <<< "$packages")"
  [ -n "$packages" ] || { echo "ldd found no libraries at all"; return 1; }
  for package in $packages; do
    grep -qxF "$package" <<< "$names" || { echo "$package is linked but not in Depends: $depends"; missing=1; }
  done
  grep -qxF libssl3 <<< "$names" || { echo "libssl3 (dlopened for SHA-256) is not in Depends"; missing=1; }
  return $missing
}
check "Depends covers every library the ELF files link (ldd), plus libssl3" depends_cover_linked_libraries

# --- install ----------------------------------------------------------------------------------------
started=$(date +%s)
check "apt-get install ./$(basename "$deb")" apt-get install -y -q --no-install-recommends "$deb"
echo "  installed in $(( $(date +%s) - started )) s"
dpkg -L confupdate > "$scratch/files" 2>/dev/null
check_output "dpkg says installed" '^install ok installed$' dpkg-query -W -f='${Status}\n' confupdate
check_output "postinst made /run/confupdate root:root 0755 (tmpfiles.d)" '^root:root 755 directory$' stat -c '%U:%G %a %F' /run/confupdate
check_output "the installed config is root:root 0640" '^root:root 640$' stat -c '%U:%G %a' /etc/confupdate/confupdate.json
installed_nothing_writable() {
  local bad
  bad=$(xargs -d '\n' stat -c '%A %U %n' < "$scratch/files" 2>/dev/null \
        | awk 'substr($1, 1, 1) != "l" && (substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w" || $1 ~ /[sS]/ || $2 != "root")')
  [ -z "$bad" ] || { echo "$bad"; return 1; }
}
check "installed files: root-owned, none group/world-writable or setuid" installed_nothing_writable
check_output "systemd-analyze verify accepts the installed units (ExecStart exists)" '^$' \
  sh -c 'systemd-analyze verify --man=no /lib/systemd/system/confupdate.socket /lib/systemd/system/confupdate.service 2>&1'

# --- no .NET runtime needed -------------------------------------------------------------------------
# nodotnet CMD...: CMD in a private mount namespace where the dotnet directory is an empty tmpfs (so
# /usr/bin/dotnet dangles) and DOTNET_ROOT is unset: only a self-contained program can run there.
cat > "$scratch/nodotnet" <<EOF
#!/bin/sh
exec unshare --mount sh -c 'mount -t tmpfs -o mode=0755 none "\$0" && exec env -u DOTNET_ROOT -u DOTNET_ROOT_X64 "\$@"' "$dotnet_dir" "\$@"
EOF
chmod 0755 "$scratch/nodotnet"
no_dotnet_reachable() { "$scratch/nodotnet" sh -c '! dotnet --version >/dev/null 2>&1 && [ -z "$(ls -A '"$dotnet_dir"')" ]'; }
check "inside nodotnet, dotnet cannot run (its directory is empty)" no_dotnet_reachable
check_output "confupdate --version runs without .NET" '[0-9]+\.[0-9]+' "$scratch/nodotnet" /usr/bin/confupdate --version
check_output "confupdate-server --help runs without .NET" 'confupdate-server' "$scratch/nodotnet" /usr/lib/confupdate/confupdate-server --help

# The installed server and CLI talk to each other without .NET: root is allowed by uid.
mkdir -p "$scratch/run" "$scratch/targets"
cat > "$scratch/smoke.json" <<EOF
{ "ConfUpdate": {
    "Socket": { "Path": "$scratch/run/confupdate.sock", "Mode": "0600" },
    "Allow": { "Uids": [0] },
    "Targets": [ { "Name": "site", "Path": "$scratch/targets/site.conf", "Mode": "0640" } ] } }
EOF
"$scratch/nodotnet" /usr/lib/confupdate/confupdate-server --config "$scratch/smoke.json" 2> "$scratch/smoke-server.log" &
server_pid=$!
for _ in $(seq 100); do [ -S "$scratch/run/confupdate.sock" ] && break; sleep 0.1; done
printf 'smoke\n' > "$scratch/smoke-input"
check_output "installed confupdate hello to the installed server, no .NET" 'confupdate-reference' \
  "$scratch/nodotnet" /usr/bin/confupdate --socket "$scratch/run/confupdate.sock" hello
check "installed confupdate update, no .NET" \
  "$scratch/nodotnet" /usr/bin/confupdate --socket "$scratch/run/confupdate.sock" update site --file "$scratch/smoke-input"
check_output "the target holds the update" '^smoke$' cat "$scratch/targets/site.conf"
kill -TERM "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""

# --- the kit against the installed server ------------------------------------------------------------
# /etc/confupdate/confupdate.json (the example, with targets under /etc/app) is installed meanwhile: the
# server must test the kit's --config file alone.
echo "  running the kit against the installed server, without .NET (every scenario, --strict)"
count_kit_run "$scratch/kit.log" "$dotnet" "$confkit_dll" run --no-color --strict --report-dir "$scratch/kit-report" \
  --server "$scratch/nodotnet /usr/lib/confupdate/confupdate-server --config {config}"
check_output "the kit tested the installed server" 'confupdate-reference' grep -o '"implementationName": *"[^"]*"' "$scratch/kit-report/report.json"

# --- an edited conffile survives a reinstall ------------------------------------------------------------
printf '\n' >> /etc/confupdate/confupdate.json
edited=$(sha256sum < /etc/confupdate/confupdate.json)
check "reinstalling the package (dpkg -i) keeps it installed" dpkg -i "$deb"
check "the administrator's edit of the conffile survives the reinstall" test "$(sha256sum < /etc/confupdate/confupdate.json)" = "$edited"

# --- remove, then purge -------------------------------------------------------------------------------
check "apt-get remove confupdate" apt-get remove -y -q confupdate
check_output "after remove: only the conffile is left (status config-files)" '^deinstall ok config-files$' dpkg-query -W -f='${Status}\n' confupdate
check "after remove: the conffile is kept" test -f /etc/confupdate/confupdate.json
check "after remove: the programs are gone" test ! -e /usr/lib/confupdate/confupdate-server -a ! -e /usr/bin/confupdate
check "apt-get purge confupdate" apt-get purge -y -q confupdate
not_known() { ! dpkg-query -W -f='${Status}\n' confupdate 2>/dev/null | grep -Eq 'ok (installed|config-files)'; }
check "after purge: dpkg has neither the package nor its conffile" not_known
purged_cleanly() {
  local left=""
  while IFS= read -r path; do
    case "$path" in
      /.|/etc|/lib|/lib/systemd|/lib/systemd/system|/usr|/usr/bin|/usr/lib|/usr/lib/tmpfiles.d|/usr/share|/usr/share/doc) continue ;;
    esac
    if [ -e "$path" ] || [ -L "$path" ]; then left="$left $path"; fi
  done < "$scratch/files"
  [ ! -e /run/confupdate ] || left="$left /run/confupdate"
  [ -z "$left" ] || { echo "left behind:$left"; return 1; }
}
check "after purge: every file dpkg -L listed is gone, /etc/confupdate and /run/confupdate too" purged_cleanly

finish
