#!/usr/bin/env bash
# The packaging test (make test-package, part of make test): installs the
# .deb that make package built with dpkg -i on this machine, checks that
# airlock runs from the PATH and that its desktop entry and icons are in
# place, purges it again, and runs the binary of the portable archive.
#
#   build/test-package.sh OUTDIR VERSION
#
# dpkg -i never downloads: the libraries the package depends on are the
# ones make deps installed. Needs root (sudo is used otherwise).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
[[ $# -eq 2 ]] || {
	echo "usage: build/test-package.sh OUTDIR VERSION" >&2
	exit 2
}
dist=$1
version=$2
sudo=""
if [[ "$(id -u)" != 0 ]]; then sudo=sudo; fi

fail() {
	echo "test-package: FAIL: $*" >&2
	exit 1
}
pass() {
	echo "test-package: ok: $*"
}

command -v desktop-file-validate >/dev/null || fail "desktop-file-validate is missing: run make deps (apt desktop-file-utils)"

debver="$("$here/package.sh" debian-version "$version")"
{ read -r deb; read -r archive; } < <("$here/package.sh" linux-names "$version" "$dist")
[[ -f "$deb" ]] || fail "no $deb: run make package"
[[ -f "$archive" ]] || fail "no $archive: run make package"

# state is dpkg's state of the airlock package: installed, unpacked,
# half-configured, config-files, ...; not-installed when dpkg has no trace.
state() {
	local s
	s="$(dpkg-query -W -f='${db:Status-Status}' airlock 2>/dev/null)" || s=""
	echo "${s:-not-installed}"
}
installed() {
	[[ "$(state)" == installed ]]
}
# This test owns the airlock package while it runs: it will not replace an
# installation it did not make.
if [[ "$(state)" != not-installed ]]; then
	fail "the airlock package is on this machine already ($(state)); this test installs and purges it: run '${sudo:+sudo }dpkg --purge airlock' first"
fi

scratch="$(mktemp -d)"
# Whatever happens, leave no trace of the package (a failed dpkg -i leaves
# it unpacked or half-configured).
cleanup() {
	if [[ "$(state)" != not-installed ]]; then $sudo dpkg --purge airlock >/dev/null || true; fi
	rm -rf "$scratch"
}
trap cleanup EXIT

$sudo dpkg -i "$deb" || fail "dpkg -i $deb failed (above); a dependency problem means the runtime libraries are missing: run make deps"
installed || fail "dpkg -i did not leave airlock installed"
got="$(dpkg-query -W -f='${Version}' airlock)"
[[ "$got" == "$debver" ]] || fail "installed version $got, want $debver"
pass "dpkg -i $(basename "$deb")"

hash -r
where="$(command -v airlock || true)"
[[ "$where" == /usr/bin/airlock ]] || fail "airlock on the PATH is \"$where\", want /usr/bin/airlock"
said="$(airlock --version)"
[[ "$said" == "airlock $version" ]] || fail "airlock --version said \"$said\", want \"airlock $version\""
pass "airlock --version from the PATH: $said"

# The installed binary works headless: it classifies, and it opens (makes)
# the database and answers from the approval queue.
verdict="$(echo '{"tool":{"name":"delete_file"}}' | airlock classify)"
[[ "$verdict" == *'"tier":"destructive"'* ]] || fail "airlock classify said $verdict for delete_file"
said="$(AIRLOCK_HOME="$scratch/home" airlock pending)"
[[ -f "$scratch/home/airlock.db" ]] || fail "airlock pending made no database in AIRLOCK_HOME"
pass "airlock classify: $verdict; airlock pending: $said"

desktop=/usr/share/applications/airlock.desktop
[[ -f "$desktop" ]] || fail "no $desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
grep -qx "Exec=airlock" "$desktop" || fail "$desktop does not run airlock"
grep -qx "Icon=airlock" "$desktop" || fail "$desktop does not name the airlock icon"
pass "desktop-file-validate $desktop"

for size in 16 32 48 128 256 512; do
	icon="/usr/share/icons/hicolor/${size}x${size}/apps/airlock.png"
	[[ -f "$icon" ]] || fail "no $icon"
	[[ "$(identify -format '%wx%h' "$icon")" == "${size}x${size}" ]] || fail "$icon is not ${size}x${size}"
done
pass "hicolor icons 16-512 px"

$sudo dpkg --purge airlock >/dev/null
[[ "$(state)" == not-installed ]] || fail "dpkg --purge left airlock $(state)"
[[ ! -e /usr/bin/airlock && ! -e "$desktop" ]] || fail "dpkg --purge left files behind"
pass "dpkg --purge airlock removed it"

tar -C "$scratch" -xzf "$archive"
folder="$scratch/$(basename "$archive" .tar.gz)"
for f in airlock airlock.desktop airlock.png README.md; do
	[[ -f "$folder/$f" ]] || fail "the archive has no $f"
done
said="$("$folder/airlock" --version)"
[[ "$said" == "airlock $version" ]] || fail "the archive's airlock --version said \"$said\""
pass "$(basename "$archive"): airlock --version: $said"
