// Package secrets keeps the values of upstream servers' credentials in the
// OS keychain (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows) and fills `${keyring:NAME}` placeholders with them.
// Values never leave this package except into an upstream's environment and
// back to the caller that asked for them; everything else sees names.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service every Airlock secret is stored under; the
// secret's name is the keychain's user (account) field.
const Service = "airlock"

// DefaultTimeout bounds one keychain call. A locked keychain can show an
// unlock prompt and block until someone answers it; past this, Airlock
// reports the keychain as unavailable rather than hang a proxy or the CLI.
const DefaultTimeout = 20 * time.Second

// ErrNotSet means the keychain answered and holds no secret of that name.
var ErrNotSet = errors.New("secret not set")

// Keychain is the part of the OS keychain Airlock uses. Every error other
// than ErrNotSet means the keychain could not be used (see Unavailable).
type Keychain interface {
	Set(ctx context.Context, name, value string) error
	Get(ctx context.Context, name string) (string, error)
	Delete(ctx context.Context, name string) error
}

// Unavailable says why the keychain could not be used.
type Unavailable struct {
	Op     string // "read", "store", "delete"
	Reason string // what is missing, in words a user can act on
	Err    error  // what the keychain library said
}

func (e *Unavailable) Error() string {
	return fmt.Sprintf("keychain unavailable (%s): %s: %v", e.Op, e.Reason, e.Err)
}

func (e *Unavailable) Unwrap() error { return e.Err }

// OS is the real keychain through github.com/zalando/go-keyring.
type OS struct {
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration
}

func (k OS) Set(ctx context.Context, name, value string) error {
	_, err := k.do(ctx, "store", func() (string, error) { return "", keyring.Set(Service, name, value) })
	return err
}

func (k OS) Get(ctx context.Context, name string) (string, error) {
	return k.do(ctx, "read", func() (string, error) { return keyring.Get(Service, name) })
}

func (k OS) Delete(ctx context.Context, name string) error {
	_, err := k.do(ctx, "delete", func() (string, error) { return "", keyring.Delete(Service, name) })
	return err
}

// do runs one keychain call with a deadline. go-keyring takes no context, so
// a call stuck on a prompt keeps its goroutine until the prompt is answered
// or the bus drops it; the caller is released at the deadline regardless.
func (k OS) do(ctx context.Context, op string, fn func() (string, error)) (string, error) {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, classify(op, r.err)
	case <-ctx.Done():
		reason := fmt.Sprintf("no answer within %s (is an unlock prompt waiting?)", timeout)
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			reason = "cancelled"
		}
		return "", &Unavailable{Op: op, Reason: reason, Err: ctx.Err()}
	}
}

// classify turns go-keyring's errors into ErrNotSet or Unavailable. Only
// keyring.ErrNotFound is a sentinel; the rest are D-Bus and exec errors whose
// text is all there is to tell a missing service from a locked one.
func classify(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotSet
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("the value is too large for the keychain: %w", err)
	}
	msg := strings.ToLower(err.Error())
	reason := "the keychain did not answer as expected"
	switch {
	case strings.Contains(msg, "dbus-launch"), strings.Contains(msg, "dbus_session_bus_address"),
		strings.Contains(msg, "autolaunch"), strings.Contains(msg, "no such file or directory"),
		strings.Contains(msg, "connection refused"):
		reason = "no D-Bus session bus (the Secret Service needs a desktop session, or run inside dbus-run-session)"
	case strings.Contains(msg, "serviceunknown"), strings.Contains(msg, "was not provided by any .service"),
		strings.Contains(msg, "org.freedesktop.secrets"):
		reason = "no Secret Service on the D-Bus session bus (start gnome-keyring-daemon, KeePassXC's Secret Service or another provider)"
	case strings.Contains(msg, "unlock"), strings.Contains(msg, "locked"), strings.Contains(msg, "dismissed"):
		reason = "the keychain is locked (unlock it, e.g. by logging in to the desktop, and try again)"
	}
	return &Unavailable{Op: op, Reason: reason, Err: err}
}

// Check reports whether the keychain answers: a read of a name that is never
// set must come back "not set". For `airlock doctor` and the window.
func Check(ctx context.Context, kc Keychain) error {
	_, err := kc.Get(ctx, probeName)
	if err == nil || errors.Is(err, ErrNotSet) {
		return nil
	}
	return err
}

// probeName fails the name rule, so no user secret can ever have it.
const probeName = "airlock probe (never set)"
