package app

import (
	"fmt"
	"os"
	"runtime"

	"github.com/airlock-dev/airlock/internal/hostconfig"
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
}

// Hosts hooks AI hosts up to Airlock from the window, like `airlock install`.
type Hosts struct {
	home   string
	env    func() (hostconfig.Env, error)
	binary func() (string, error)
	getenv func(string) string
}

// NewHosts serves the hosts of this machine's user, hooked up to home.
func NewHosts(home string) *Hosts {
	return &Hosts{
		home:   home,
		env:    func() (hostconfig.Env, error) { return hostconfig.OSEnv(runtime.GOOS) },
		binary: hostconfig.Executable,
		getenv: os.Getenv,
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
	o := hostconfig.Options{Host: host, Path: host.Path(env), Home: h.home, ProxyEnv: hostconfig.ProxyEnv(h.home, h.getenv)}
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
	return HostChange{
		Host:    hostView(hostconfig.Status(host, o.Path)),
		Changed: r.Changed,
		Lines:   r.Lines(install, false),
	}, nil
}

func hostView(st hostconfig.State) HostView {
	v := HostView{ID: st.Host.ID, Name: st.Host.Name, Path: st.Path, Found: st.Found,
		HookedUp: st.HookedUp, Local: st.Local, Kept: st.Kept}
	if st.Err != nil {
		v.Error = fmt.Sprint(st.Err)
	}
	return v
}
