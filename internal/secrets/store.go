package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/airlock-dev/airlock/internal/config"
)

// IndexFileName lists the names of the secrets Airlock stored, in the home
// folder beside airlock.json.
//
// go-keyring cannot list a service's items, so Airlock remembers names
// itself. A file rather than a table in airlock.db: the names describe the
// keychain, not the audit log, and belong with the config that refers to
// them; the window and the CLI already share the home folder; and a file
// needs no migration numbered against other work on the database. The file
// holds names only, never values, and is private to the user (0600).
const IndexFileName = "secrets.json"

// namePattern is what a secret's name may be: it appears in airlock.json
// inside ${keyring:NAME}, so it must be plain and unambiguous there.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// MaxValueBytes bounds a secret's value: keychains are made for tokens and
// passwords, and neither a runaway pipe (the CLI) nor a page script (the
// window's binding) should fill one.
const MaxValueBytes = 64 << 10

// ValidName reports whether name may name a secret.
func ValidName(name string) error {
	if !namePattern.MatchString(name) {
		return fmt.Errorf("invalid secret name %q: use 1-64 letters, digits, '_', '.' or '-'", name)
	}
	return nil
}

// Store is Airlock's secrets: values in the keychain, names in the index.
type Store struct {
	kc    Keychain
	index string
}

// New opens the secrets of the Airlock home folder home.
func New(home string, kc Keychain) *Store {
	return &Store{kc: kc, index: filepath.Join(home, IndexFileName)}
}

// Keychain is the keychain the store uses (for Check).
func (s *Store) Keychain() Keychain { return s.kc }

// Set stores value under name, replacing any earlier value.
func (s *Store) Set(ctx context.Context, name, value string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if value == "" {
		return fmt.Errorf("secret %q: the value is empty", name)
	}
	if len(value) > MaxValueBytes {
		return fmt.Errorf("secret %q: the value is over %d KiB", name, MaxValueBytes>>10)
	}
	if err := s.kc.Set(ctx, name, value); err != nil {
		return fmt.Errorf("store secret %q: %w", name, err)
	}
	return s.editIndex(func(names []string) []string {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		return names
	})
}

// Get returns the value of name, or an error wrapping ErrNotSet.
func (s *Store) Get(ctx context.Context, name string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", err
	}
	v, err := s.kc.Get(ctx, name)
	if err != nil {
		return "", fmt.Errorf("secret %q: %w", name, err)
	}
	return v, nil
}

// Remove deletes name from the keychain and the index. Removing a name the
// keychain no longer has still drops it from the index; a name known to
// neither is an error wrapping ErrNotSet.
func (s *Store) Remove(ctx context.Context, name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	err := s.kc.Delete(ctx, name)
	if err != nil && !errors.Is(err, ErrNotSet) {
		return fmt.Errorf("remove secret %q: %w", name, err)
	}
	listed := false
	ierr := s.editIndex(func(names []string) []string {
		listed = slices.Contains(names, name)
		return slices.DeleteFunc(names, func(n string) bool { return n == name })
	})
	if ierr != nil {
		return ierr
	}
	if err != nil && !listed {
		return fmt.Errorf("remove secret %q: %w", name, ErrNotSet)
	}
	return nil
}

// List returns the names of the stored secrets, sorted. It reads only the
// index, so it works (and is quick) when the keychain is locked.
func (s *Store) List() ([]string, error) {
	data, err := os.ReadFile(s.index)
	if errors.Is(err, fs.ErrNotExist) {
		return []string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read secret names: %w", err)
	}
	var idx index
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, fmt.Errorf("secret names %s: %w", s.index, err)
	}
	names := make([]string, 0, len(idx.Names))
	for _, n := range idx.Names {
		if ValidName(n) == nil && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

type index struct {
	Names []string `json:"names"`
}

// editIndex rewrites the index atomically. Two processes editing at the same
// moment can lose one name from the list (never a value): setting it again
// restores it.
func (s *Store) editIndex(fn func([]string) []string) error {
	names, err := s.List()
	if err != nil {
		return err
	}
	names = fn(names)
	slices.Sort(names)
	data, err := json.MarshalIndent(index{Names: names}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode secret names: %w", err)
	}
	if err := config.EnsureHome(filepath.Dir(s.index)); err != nil {
		return err
	}
	return config.WriteFileAtomic(s.index, append(data, '\n'), 0o600)
}
