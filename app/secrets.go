package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// SecretView is one secret on the Settings screen: its name and the servers
// whose env refers to it. Never its value.
type SecretView struct {
	Name   string   `json:"name"`
	UsedBy []string `json:"usedBy"`
	// Stored is false for a name airlock.json refers to that Airlock has not
	// stored: those servers will not start until it is set.
	Stored bool `json:"stored"`
}

// Secrets manages the keychain secrets from the window, like `airlock
// secret`. Values go in and never come back out.
type Secrets struct {
	home  string
	store *secrets.Store
}

// NewSecrets serves the secrets of home, kept in the OS keychain.
func NewSecrets(home string) *Secrets {
	return newSecrets(home, secrets.OS{})
}

func newSecrets(home string, kc secrets.Keychain) *Secrets {
	return &Secrets{home: home, store: secrets.New(home, kc)}
}

// List returns the stored names and the names airlock.json uses, sorted.
// It reads no values, so it works while the keychain is locked.
func (s *Secrets) List() ([]SecretView, error) {
	names, err := s.store.List()
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	if cfg, err := config.Load(s.home); err == nil {
		refs = secrets.Refs(cfg)
	}
	out := make([]SecretView, 0, len(names))
	for _, n := range names {
		out = append(out, SecretView{Name: n, UsedBy: orEmpty(refs[n]), Stored: true})
	}
	for n, servers := range refs {
		if !slices.Contains(names, n) {
			out = append(out, SecretView{Name: n, UsedBy: servers})
		}
	}
	slices.SortFunc(out, func(a, b SecretView) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Keychain returns "" when the OS keychain answers, else why it does not.
func (s *Secrets) Keychain() string {
	if err := secrets.Check(context.Background(), s.store.Keychain()); err != nil {
		return err.Error()
	}
	return ""
}

// Set stores value under name in the keychain, replacing any earlier value.
func (s *Secrets) Set(name, value string) error {
	return s.store.Set(context.Background(), name, value)
}

// Remove deletes the secret name.
func (s *Secrets) Remove(name string) error {
	return s.store.Remove(context.Background(), name)
}

// PlainValue is a token-like env value (or part of an arg) written in
// airlock.json: where it is, never what it is.
type PlainValue struct {
	Server string `json:"server"`
	Key    string `json:"key"` // the env variable, or "args[N]"
}

// Plain lists the token-like env values and args airlock.json holds in
// plain text (after a Connect that did not move them, or servers added by
// hand).
func (s *Secrets) Plain() ([]PlainValue, error) {
	found, err := secrets.Plain(s.home)
	if err != nil {
		return nil, err
	}
	return plainValues(found), nil
}

// plainValues says where each plain-text credential is, never what it is.
func plainValues(found []secrets.Moved) []PlainValue {
	out := make([]PlainValue, 0, len(found))
	for _, f := range found {
		out = append(out, PlainValue{Server: f.Server, Key: f.Key})
	}
	return out
}

// Move stores server's env value (or arg) key in the keychain and writes its
// ${keyring:NAME} into airlock.json instead; it returns the secret's name.
func (s *Secrets) Move(server, key string) (string, error) {
	moved, err := s.store.MoveFromConfig(context.Background(), s.home, func(srv, k string) (bool, error) {
		return srv == server && k == key, nil
	})
	if err != nil {
		return "", err
	}
	if len(moved) == 0 {
		return "", fmt.Errorf("%s is not a plain-text credential in airlock.json (any more)", secrets.Where(server, key))
	}
	return moved[0].Name, nil
}
