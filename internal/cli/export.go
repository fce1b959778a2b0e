package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/airlock-dev/airlock/internal/store"
)

// checkExportFlags wants both --export (csv or json) and --out.
func checkExportFlags(format, out string) error {
	switch {
	case format != store.FormatCSV && format != store.FormatJSON:
		return fmt.Errorf("--export %q: want csv or json", format)
	case out == "":
		return errors.New("--export needs --out FILE")
	}
	return nil
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// exportHistory writes the calls f selects to a new file at path, readable
// only by the user (it holds what tools were asked to do). An existing file
// is never overwritten, and a failed export removes what it wrote.
func exportHistory(ctx context.Context, st *store.Store, f store.Filter, format, path string) error {
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("--out %s already exists; choose another file or remove it", path)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	err = st.ExportCalls(ctx, f, file, format)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
