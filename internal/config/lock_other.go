//go:build !unix

package config

import "os"

// flock is a no-op where flock(2) does not exist; the atomic rename still
// keeps every reader's view whole.
func flock(*os.File) error { return nil }
