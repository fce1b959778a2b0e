#!/bin/sh
# Runs a command against a real, unlocked Secret Service (gnome-keyring) on a
# private D-Bus session bus:
#   dbus-run-session -- sh internal/secrets/testdata/with-keyring.sh CMD ARGS...
# The keyring lives in a temporary XDG_DATA_HOME, so the user's own keyring is
# never touched.
set -eu

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	echo "with-keyring.sh: no D-Bus session; run it under dbus-run-session" >&2
	exit 2
fi

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
# The secrets of the login keyring are encrypted with this password; it is
# created fresh for each run.
printf '%s' "airlock-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null

# The daemon takes the bus name a moment after --unlock returns: without this
# wait about one run in twenty finds no Secret Service.
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
	i=$((i + 1))
	if [ "$i" -gt 100 ]; then
		echo "with-keyring.sh: org.freedesktop.secrets has no owner after 10 s" >&2
		exit 1
	fi
	sleep 0.1
done

"$@"
