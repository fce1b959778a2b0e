//go:build windows

package launch

// ownedByUser is never needed on Windows, which always has a desktop.
func ownedByUser(string, bool) bool { return false }
