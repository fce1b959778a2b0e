package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// HostView is one AI host on the Settings screen. Path and Error come from
// the file system and the host's config: untrusted text.
type HostView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Path     string `json:"path"`
	Found    bool   `json:"found"`
	HookedUp bool   `json:"hookedUp"`
	// Local counts stdio servers in the host config that bypass Airlock.
	Local int `json:"local"`
	// Kept counts entries install leaves (remote, disabled, host variables).
	Kept  int    `json:"kept"`
	Error string `json:"error"`
}

// HostChange is what a Connect or Disconnect did, in lines for a person.
type HostChange struct {
	Host    HostView `json:"host"`
	Changed bool     `json:"changed"`
	Lines   []string `json:"lines"`
	// Tokens are the token-like env values and args of the servers a Connect moved
	// that airlock.json now holds in plain text: the window offers to move
	// them into the keychain (MoveSecrets), as `airlock install` asks.
	Tokens []PlainValue `json:"tokens"`
	// Backup is the host config's copy of the original, which still holds
	// those values; "" when nothing was written.
	Backup string `json:"backup"`
}

// TokenMove is what became of one value MoveSecrets was asked to move.
type TokenMove struct {
	Server string `json:"server"`
	Key    string `json:"key"`
	// Name is the secret now holding the value (airlock.json says
	// ${keyring:Name}); "" when it did not move.
	Name string `json:"name"`
	// Error says why it did not move; airlock.json still holds the value.
	Error string `json:"error"`
}

// TokensMoved answers MoveSecrets. Keychain is "" when the keychain
// answered, else what is missing; then nothing was tried.
type TokensMoved struct {
	Keychain string      `json:"keychain"`
	Values   []TokenMove `json:"values"`
}

// hostLockWait is how long a Connect or Disconnect waits for another
// Airlock run editing the same host config.
var hostLockWait = 5 * time.Second

// Hosts hooks AI hosts up to Airlock from the window, like `airlock install`.
type Hosts struct {
	home   string
	env    func() (hostconfig.Env, error)
	binary func() (string, error)
	getenv func(string) string
	// secrets is where MoveSecrets puts the values: the OS keychain.
	secrets *secrets.Store
}

// NewHosts serves the hosts of this machine's user, hooked up to home.
func NewHosts(home string) *Hosts {
	return &Hosts{
		home:    home,
		env:     func() (hostconfig.Env, error) { return hostconfig.OSEnv(runtime.GOOS) },
		binary:  hostconfig.Executable,
		getenv:  os.Getenv,
		secrets: secrets.New(home, secrets.OS{}),
	}
}

// List returns every supported host with its config path and state.
func (h *Hosts) List() ([]HostView, error) {
	env, err := h.env()
	if err != nil {
		return nil, err
	}
	var out []HostView
	for _, host := range hostconfig.Hosts() {
		out = append(out, hostView(hostconfig.Status(host, host.Path(env))))
	}
	return out, nil
}

// Install moves the host's servers into airlock.json and leaves the
// airlock entry; the error says why nothing was written.
func (h *Hosts) Install(id string) (HostChange, error) {
	return h.change(id, true)
}

// Uninstall puts the host's servers back and removes the airlock entry.
func (h *Hosts) Uninstall(id string) (HostChange, error) {
	return h.change(id, false)
}

func (h *Hosts) change(id string, install bool) (HostChange, error) {
	host, err := hostconfig.Lookup(id)
	if err != nil {
		return HostChange{}, err
	}
	env, err := h.env()
	if err != nil {
		return HostChange{}, err
	}
	o := hostconfig.Options{Host: host, Path: host.Path(env), Home: h.home, ProxyEnv: hostconfig.ProxyEnv(h.home, h.getenv),
		// A window must answer: a terminal install holding the file's lock
		// while it asks its user about tokens gets a clear "try again".
		LockWait: hostLockWait}
	var r *hostconfig.Report
	if install {
		if o.Binary, err = h.binary(); err != nil {
			return HostChange{}, err
		}
		r, err = hostconfig.Install(o)
	} else {
		r, err = hostconfig.Uninstall(o)
	}
	if err != nil {
		return HostChange{}, err
	}
	c := HostChange{
		Host:    hostView(hostconfig.Status(host, o.Path)),
		Changed: r.Changed,
		Lines:   r.Lines(install, false),
		Tokens:  []PlainValue{},
		Backup:  r.Backup,
	}
	if install {
		// The Connect is done; a config that cannot be read back only
		// means nothing is offered.
		if c.Tokens, err = h.tokens(r); err != nil {
			c.Tokens = []PlainValue{}
			c.Lines = append(c.Lines, "could not look for credentials among the moved servers: "+err.Error())
		}
	}
	return c, nil
}

// tokens lists the plain-text credentials of the servers r put in
// airlock.json (moved now, or found there already with the same definition).
func (h *Hosts) tokens(r *hostconfig.Report) ([]PlainValue, error) {
	names := slices.Clone(r.Shared)
	for _, s := range r.Moved {
		names = append(names, s.Name)
	}
	found, err := secrets.PlainIn(h.home, names)
	if err != nil {
		return nil, err
	}
	return plainValues(found), nil
}

// MoveSecrets moves the chosen plain-text env values and args of airlock.json into
// the keychain, each replaced by its ${keyring:NAME} once stored, and says
// what became of each. When the keychain does not answer it moves nothing
// and says what is missing.
func (h *Hosts) MoveSecrets(values []PlainValue) (TokensMoved, error) {
	chosen := make([]secrets.Moved, 0, len(values))
	for _, v := range values {
		chosen = append(chosen, secrets.Moved{Server: v.Server, Key: v.Key})
	}
	out, err := h.secrets.MoveChosen(context.Background(), h.home, chosen)
	var u *secrets.Unavailable
	if errors.As(err, &u) {
		return TokensMoved{Keychain: err.Error(), Values: []TokenMove{}}, nil
	}
	if err != nil {
		return TokensMoved{}, err
	}
	moved := TokensMoved{Values: make([]TokenMove, 0, len(out))}
	for _, o := range out {
		m := TokenMove{Server: o.Server, Key: o.Key, Name: o.Name}
		if o.Err != nil {
			m.Error = o.Err.Error()
		}
		moved.Values = append(moved.Values, m)
	}
	return moved, nil
}

func hostView(st hostconfig.State) HostView {
	v := HostView{ID: st.Host.ID, Name: st.Host.Name, Path: st.Path, Found: st.Found,
		HookedUp: st.HookedUp, Local: st.Local, Kept: st.Kept}
	if st.Err != nil {
		v.Error = fmt.Sprint(st.Err)
	}
	return v
}
