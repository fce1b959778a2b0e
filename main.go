// Command airlock is the desktop app and its CLI in one binary: with no
// arguments it opens the window, otherwise it runs a subcommand such as
// "airlock proxy".
package main

import (
	"embed"
	"io/fs"
	"os"

	"github.com/airlock-dev/airlock/app"
	"github.com/airlock-dev/airlock/internal/cli"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		GUI: func() error {
			assets, err := fs.Sub(dist, "frontend/dist")
			if err != nil {
				return err
			}
			return app.Run(assets)
		},
	}))
}
