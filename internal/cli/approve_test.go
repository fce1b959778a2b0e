package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// `airlock pending --json` is read in terminals too: text from a tool
// definition or the model must not reach the terminal as bidi overrides,
// invisible characters or C1 controls (U+009B is a CSI to many terminals).
// The JSON still decodes to exactly the stored text.
func TestPendingJSONEscapesInvisibleAndControl(t *testing.T) {
	hostile := "rm \u202eexe.txt\u202c \u009b31m red \u200b zero-width \ufeff bom \U000E0041 tag \x1b[2J"
	r := store.Request{ID: 7, Kind: store.KindCall, Tier: "write", Server: "s", Tool: "t\u2066x",
		Summary: hostile, Reasons: []string{hostile}, Arguments: `{"cmd":` + string(mustJSON(t, hostile)) + `}`,
		Created: time.Unix(0, 0), Expires: time.Unix(0, 0)}
	var buf bytes.Buffer
	if err := writePendingJSON(&buf, []store.Request{r}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\u202e", "\u202c", "\u009b", "\u200b", "\ufeff", "\U000E0041", "\x1b", "\u2066"} {
		if strings.Contains(out, bad) {
			t.Errorf("output carries %U raw: %q", []rune(bad)[0], out)
		}
	}
	var got pendingLine
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v: %s", err, out)
	}
	var args struct{ Cmd string }
	json.Unmarshal(got.Arguments, &args)
	if got.Summary != hostile || got.Reasons[0] != hostile || args.Cmd != hostile || got.Tool != r.Tool {
		t.Errorf("escaping changed the text: %+v", got)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
