//go:build !bindings

package app

// generatingBindings is true in the binary "wails build" runs to write
// frontend/wailsjs: it opens no window, so it needs no display.
const generatingBindings = false
