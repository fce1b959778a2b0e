#!/usr/bin/env bash
# Packages a built airlock binary. The Makefile calls it after building:
#
#   build/package.sh linux BIN VERSION OUTDIR     a .deb and a portable .tar.gz
#   build/package.sh windows EXE VERSION OUTDIR   a portable .zip
#   build/package.sh linux-names VERSION OUTDIR   print the paths linux writes
#   build/package.sh debian-version VERSION       print the Debian version for VERSION
#
# VERSION is what `git describe --tags --always --dirty` printed, the same
# string the build put into the binary (airlock --version shows it).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
maintainer="${DEB_MAINTAINER:-Airlock developers <airlock-dev@users.noreply.github.com>}"
icon_sizes=(16 22 24 32 48 64 128 256 512)

# work is the scratch folder of this run, removed on exit.
work=""
trap 'if [[ -n "$work" ]]; then rm -rf "$work"; fi' EXIT

die() {
	echo "package.sh: $*" >&2
	exit 1
}

# debian_version maps a git describe string to a valid Debian version that
# sorts like the history: a tag is the release, commits after it come after
# it, and an untagged build sorts before any release (~ sorts first).
#   v1.2.3                    -> 1.2.3
#   v1.2.3-4-gabc1234         -> 1.2.3+4.gabc1234
#   v1.0-rc1                  -> 1.0~rc1
#   abc1234 (no tag yet)      -> 0.0~gabc1234
#   ...-dirty                 -> ...+dirty, or ....dirty after a +
debian_version() {
	local v="${1#v}" dirty=""
	if [[ "$v" == *-dirty ]]; then
		dirty="dirty"
		v="${v%-dirty}"
	fi
	local after=""
	if [[ "$v" =~ ^([0-9].*)-([0-9]+)-g([0-9a-f]+)$ ]]; then
		v="${BASH_REMATCH[1]}"
		after="+${BASH_REMATCH[2]}.g${BASH_REMATCH[3]}"
	fi
	if [[ -z "$after" && "$v" =~ ^[0-9a-f]{7,40}$ ]]; then
		# --always printed an abbreviated commit: no tag yet.
		v="0.0~g$v"
	elif [[ "$v" =~ ^[0-9] ]]; then
		# A pre-release tag (v1.0-rc1) sorts before its release (1.0~rc1).
		v="$(sed -E 's/-([A-Za-z])/~\1/' <<<"$v")$after"
	else
		v="0.0~$v"
	fi
	# Without a Debian revision the upstream part may only hold these
	# characters (no hyphen); anything else becomes a dot.
	v="${v//[^A-Za-z0-9.+~]/.}"
	if [[ -n "$dirty" ]]; then
		if [[ "$v" == *+* ]]; then v="$v.$dirty"; else v="$v+$dirty"; fi
	fi
	echo "$v"
}

# file_version makes VERSION safe for a file name.
file_version() {
	echo "${1//[^A-Za-z0-9._+-]/_}"
}

# linux_names prints the .deb and the .tar.gz paths for VERSION, one a line.
linux_names() {
	local version=$1 out=$2 arch
	arch="$(dpkg --print-architecture)"
	echo "$out/airlock_$(debian_version "$version")_$arch.deb"
	echo "$out/airlock-$(file_version "$version")-linux-$arch.tar.gz"
}

# check_version refuses to package a binary built from another commit than
# the one being named in the package.
check_version() {
	local bin=$1 version=$2 said
	said="$("$bin" version)" || die "$bin version failed"
	[[ "$said" == "airlock $version" ]] ||
		die "$bin says \"$said\" but the tree is \"$version\": run make build first"
}

# stage_common copies what every package carries besides the binary.
stage_common() {
	local dir=$1
	cp "$root/README.md" "$dir/"
	if [[ -f "$root/LICENSE" ]]; then cp "$root/LICENSE" "$dir/"; fi
}

package_linux() {
	local bin=$1 version=$2 out=$3
	[[ -x "$bin" ]] || die "no executable at $bin: run make build"
	check_version "$bin" "$version"

	local arch debver
	arch="$(dpkg --print-architecture)"
	debver="$(debian_version "$version")"
	mkdir -p "$out"
	work="$(mktemp -d)"

	# dpkg-shlibdeps wants a debian/control naming the package, and finds
	# the package's root by its DEBIAN folder.
	local pkg="$work/debian/airlock"
	mkdir -p "$pkg/DEBIAN"
	printf 'Source: airlock\n\nPackage: airlock\nArchitecture: any\n' >"$work/debian/control"
	install -Dm755 "$bin" "$pkg/usr/bin/airlock"
	install -Dm644 "$here/linux/airlock.desktop" "$pkg/usr/share/applications/airlock.desktop"
	install -Dm644 "$root/README.md" "$pkg/usr/share/doc/airlock/README.md"
	if [[ -f "$root/LICENSE" ]]; then install -Dm644 "$root/LICENSE" "$pkg/usr/share/doc/airlock/copyright"; fi
	local size dir
	for size in "${icon_sizes[@]}"; do
		dir="$pkg/usr/share/icons/hicolor/${size}x${size}/apps"
		mkdir -p "$dir"
		# -strip drops the PNG time stamps so rebuilds give the same files.
		convert "$here/appicon.png" -resize "${size}x${size}" -strip "png32:$dir/airlock.png"
	done

	# Depends: the packages (with minimum versions) of the shared libraries
	# the binary links, read from this system's shlibs and symbols files:
	# libwebkit2gtk-4.1-0, libgtk-3-0, libglib2.0-0, libc6 and so on.
	local depends
	depends="$(cd "$work" && dpkg-shlibdeps -O -e debian/airlock/usr/bin/airlock 2>shlibdeps.err |
		sed -n 's/^shlibs:Depends=//p')"
	# bookworm's dpkg-shlibdeps warns that the binary is outside its package
	# folder even when it is inside (it prints an empty file name): drop
	# that line, keep any other message.
	grep -v "binaries to analyze should already be installed" "$work/shlibdeps.err" >&2 || true
	[[ "$depends" == *libwebkit2gtk-4.1* ]] ||
		die "dpkg-shlibdeps found no libwebkit2gtk-4.1 dependency (got \"$depends\"): is $bin the desktop build?"

	local installed_size
	installed_size="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
	# Plain text replacement (quoted, so | and & in Depends stay as they are).
	local control
	control="$(<"$here/linux/deb/control.in")"
	control="${control//@VERSION@/"$debver"}"
	control="${control//@ARCH@/"$arch"}"
	control="${control//@MAINTAINER@/"$maintainer"}"
	control="${control//@INSTALLED_SIZE@/"$installed_size"}"
	control="${control//@DEPENDS@/"$depends"}"
	printf '%s\n' "$control" >"$pkg/DEBIAN/control"

	local deb archive
	{ read -r deb; read -r archive; } < <(linux_names "$version" "$out")
	# xz at level 1: a tenth bigger than the default level, a quarter of
	# its time (make test builds the package every run).
	dpkg-deb --root-owner-group -Zxz -z1 --build "$pkg" "$deb" >/dev/null
	echo "$deb"

	# The portable archive: the same binary, its desktop file and icon, and
	# the README, in one folder.
	local name
	name="$(basename "$archive" .tar.gz)"
	mkdir "$work/$name"
	install -m755 "$bin" "$work/$name/airlock"
	install -m644 "$here/linux/airlock.desktop" "$work/$name/airlock.desktop"
	install -m644 "$pkg/usr/share/icons/hicolor/256x256/apps/airlock.png" "$work/$name/airlock.png"
	stage_common "$work/$name"
	tar -C "$work" --owner=0 --group=0 --sort=name -czf "$archive" "$name"
	echo "$archive"
}

package_windows() {
	local exe=$1 version=$2 out=$3
	[[ -f "$exe" ]] || die "no $exe: run make package-windows"
	# The .exe cannot run here; its embedded version string must match.
	grep -qaF "$version" "$exe" || die "$exe does not contain the version \"$version\": rebuild it"

	local name
	mkdir -p "$out"
	out="$(cd "$out" && pwd)"
	work="$(mktemp -d)"
	name="airlock-$(file_version "$version")-windows-amd64"
	mkdir "$work/$name"
	cp "$exe" "$work/$name/airlock.exe"
	stage_common "$work/$name"
	rm -f "$out/$name.zip"
	(cd "$work" && zip -qr -X "$out/$name.zip" "$name")
	echo "$out/$name.zip"
}

usage() {
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

case "${1:-}" in
linux)
	[[ $# -eq 4 ]] || usage
	package_linux "$2" "$3" "$4"
	;;
windows)
	[[ $# -eq 4 ]] || usage
	package_windows "$2" "$3" "$4"
	;;
linux-names)
	[[ $# -eq 3 ]] || usage
	linux_names "$2" "$3"
	;;
debian-version)
	[[ $# -eq 2 ]] || usage
	debian_version "$2"
	;;
*) usage ;;
esac
