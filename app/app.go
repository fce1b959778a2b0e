// Package app is the desktop window: thin Wails bindings over internal/.
// Logic lives in internal/; this package wires it to the window and the
// frontend events.
package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sync"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/launch"
)

// Title is the window title; tests find the window by it.
const Title = "Airlock"

// ErrNoDisplay explains why the window cannot open. GTK would panic instead.
var ErrNoDisplay = errors.New("no display: the Airlock window needs a graphical session; " +
	"the CLI commands (airlock proxy, airlock history) work without one")

// Run opens the window and blocks until it closes. assets is the built
// frontend (frontend/dist).
func Run(assets fs.FS) error {
	if err := checkDisplay(runtime.GOOS, os.Getenv); err != nil && !generatingBindings {
		return err
	}
	home, err := config.Home()
	if err != nil {
		return err
	}
	backend := NewBackend(home)
	var win window

	return wails.Run(&options.App{
		Title:            Title,
		Width:            1180,
		Height:           760,
		MinWidth:         720,
		MinHeight:        420,
		BackgroundColour: &options.RGBA{R: 0xf6, G: 0xf7, B: 0xf9, A: 0xff},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			win.set(ctx)
			backend.Start(ctx, newWindowScreen(ctx, &win, backend.Settings.notificationsOn))
		},
		OnShutdown: func(ctx context.Context) {
			backend.Shutdown()
			wailsruntime.CleanupNotifications(ctx)
		},
		Bind: backend.Bind(),
		// One window per home folder: a second start brings the first one
		// forward. Tests run several homes side by side, so the home is
		// part of the id.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               instanceID(home),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) { win.raise() },
		},
		Linux: &linux.Options{ProgramName: "airlock"},
	})
}

// checkDisplay fails before GTK starts when there is nothing to draw on.
func checkDisplay(goos string, getenv func(string) string) error {
	if !launch.HasDisplay(goos, getenv) {
		return ErrNoDisplay
	}
	return nil
}

func instanceID(home string) string {
	sum := sha256.Sum256([]byte(home))
	return fmt.Sprintf("dev.airlock.app.h%s", hex.EncodeToString(sum[:6]))
}

// window holds the Wails context the runtime calls need.
type window struct {
	mu  sync.Mutex
	ctx context.Context
}

func (w *window) set(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ctx = ctx
}

// raise brings the window forward when a second instance starts.
func (w *window) raise() {
	w.mu.Lock()
	ctx := w.ctx
	w.mu.Unlock()
	if ctx == nil {
		return
	}
	wailsruntime.WindowUnminimise(ctx)
	wailsruntime.Show(ctx)
}
