package checkpoint

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/argshash"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/policy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/store"
)

// The summary is stored (calls, requests, the search index) beside the
// redacted arguments, so it must hide what they hide: token-shaped values
// and the values Airlock injected, also where the headline cuts a value
// short or folds its spaces, which leaves a form Known cannot find.
func TestSummaryHidesWhatTheArgumentsHide(t *testing.T) {
	injected := "kc-Injected-Value-0123456789-abcdefghij"
	spaced := "pass  word with\ttabs and  spaces"
	k := redact.NewKnown()
	k.Add(injected, spaced)
	f := newFixture(t, func(c *config.Config) {
		// Denied by rule: the row (and its summary) is written at once.
		c.Rules = []policy.Rule{{Server: "fs", Tool: "run_*", Action: policy.Deny, Source: "config"}}
	})
	f.cp = New(Options{Store: f.st, Config: f.cfg, Poll: 5 * time.Millisecond, Known: k})
	ctx := context.Background()
	run := tool("fs", "run_command", "Run a shell command")

	var commands []string
	commands = append(commands,
		"curl -H 'Authorization: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a' https://api.github.com",
		"mysql -p'"+spaced+"' -e 'select 1'")
	// The headline is cut near 200 characters: put the value across the cut.
	for n := 150; n < 200; n += 3 {
		commands = append(commands, "echo "+strings.Repeat("a", n)+" "+injected)
	}
	for _, cmd := range commands {
		args, _ := json.Marshal(map[string]string{"command": cmd})
		hash, err := argshash.Of(args)
		if err != nil {
			t.Fatal(err)
		}
		call := Call{Tool: run, Args: args, ArgsHash: hash, Session: "s1", Client: "test",
			Redacted: string(k.JSON(redact.Arguments(args)))} // as the proxy makes it
		v := f.cp.Decide(ctx, call)
		row := f.lastRow()
		for _, leak := range []string{"ghp_16C7e42F", injected[:10], "pass word", "pass  word"} {
			for what, text := range map[string]string{"stored summary": row.Summary, "verdict summary": v.Summary, "message": v.Message} {
				if strings.Contains(text, leak) {
					t.Errorf("%s holds %q: %s", what, leak, text)
				}
			}
		}
		if v.Allow || row.Decision != store.DecisionDeny {
			t.Fatalf("the deny rule did not decide: %+v", v)
		}
	}
}
