package launch

import (
	"path/filepath"
	"regexp"
	"strings"
)

// displayVars are the variables that put a window on the user's desktop
// session. Hosts such as Claude Desktop start MCP servers (the proxy) with a
// minimal environment that has none of them, so the app records its own
// (RecordDisplay) and a proxy without them starts the window with those.
var displayVars = []string{"DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"}

// DisplayEnv returns the display variables set in this process, for the
// app to record.
func DisplayEnv(getenv func(string) string) map[string]string {
	env := map[string]string{}
	for _, k := range displayVars {
		if v := getenv(k); v != "" {
			env[k] = v
		}
	}
	return env
}

var (
	// host:display.screen; the host part may name a socket path (XQuartz).
	displayPattern = regexp.MustCompile(`^[A-Za-z0-9._/-]*:[0-9]+(\.[0-9]+)?$`)
	// A socket name in XDG_RUNTIME_DIR.
	waylandPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	// unix:path=/run/user/1000/bus, possibly with ,guid=...; no shell or
	// separator characters.
	busPattern = regexp.MustCompile(`^unix:[A-Za-z0-9=,/._%-]+$`)
)

// usableDisplay keeps the recorded variables that look valid: well formed,
// and the files they name (X authority, runtime folder) exist and belong to
// this user, so a database written by someone else cannot point the window
// at their session or at a file the user does not own. It returns nil
// unless a display (X11 or Wayland) is left.
func usableDisplay(recorded map[string]string, owned func(path string, dir bool) bool) map[string]string {
	env := map[string]string{}
	if v := recorded["XDG_RUNTIME_DIR"]; cleanAbs(v) && owned(v, true) {
		env["XDG_RUNTIME_DIR"] = v
	}
	if v := recorded["DISPLAY"]; displayPattern.MatchString(v) {
		env["DISPLAY"] = v
	}
	if v := recorded["WAYLAND_DISPLAY"]; env["XDG_RUNTIME_DIR"] != "" && waylandPattern.MatchString(v) &&
		owned(filepath.Join(env["XDG_RUNTIME_DIR"], v), false) {
		env["WAYLAND_DISPLAY"] = v
	}
	if env["DISPLAY"] == "" && env["WAYLAND_DISPLAY"] == "" {
		return nil
	}
	if v := recorded["XAUTHORITY"]; cleanAbs(v) && owned(v, false) {
		env["XAUTHORITY"] = v
	}
	if v := recorded["DBUS_SESSION_BUS_ADDRESS"]; busPattern.MatchString(v) {
		env["DBUS_SESSION_BUS_ADDRESS"] = v
	}
	return env
}

// cleanAbs reports whether p is an absolute path with no . or .. parts.
func cleanAbs(p string) bool {
	return filepath.IsAbs(p) && filepath.Clean(p) == p && !strings.ContainsAny(p, "\x00\n")
}
