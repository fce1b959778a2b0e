package app

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// benchUI plays the frontend: on every pending:changed it reloads the queue
// with Pending, as frontend/src/pending/queue.ts does, and passes on when
// each load returned and what it held.
type benchUI struct {
	b     *Backend
	loads chan benchLoad
}

type benchLoad struct {
	at  time.Time
	ids []int64
}

func (u benchUI) Emit(event string) {
	if event != EventPendingChanged {
		return
	}
	go func() { // the frontend's call comes back through the Wails bridge, not inside the event
		views, err := u.b.Approvals.Pending()
		if err != nil {
			return
		}
		l := benchLoad{at: time.Now()}
		for _, v := range views {
			l.ids = append(l.ids, v.ID)
		}
		u.loads <- l
	}()
}

func (benchUI) Arrived([]store.Request) {}

// BenchmarkPendingToWindow measures, for a call a proxy queues for a
// person, the time from the commit of its request (store.Ask, as the
// checkpoint writes it) to the window's Pending() returning it: the
// database watcher noticing the commit (a wake from fswake, or the poll),
// the queue check, the pending:changed event and the frontend's reload.
// The frontend's rendering after that is not included: the e2e package's
// BenchmarkPendingToPage measures up to the card in the real page. The
// issue's target is under 150 ms at p99.
//
// Each request lands at a random point of the poll interval, as real ones
// do (ns/op includes that wait; the latency is in p50-ms, p99-ms, max-ms).
// Run with enough iterations for a p99, e.g. -benchtime 300x.
func BenchmarkPendingToWindow(b *testing.B) {
	home := b.TempDir()
	proxy, err := store.Open(config.DBPath(home)) // the proxy's own connections
	if err != nil {
		b.Fatal(err)
	}
	defer proxy.Close()
	be := NewBackend(home)
	ui := benchUI{b: be, loads: make(chan benchLoad, 1024)}
	ctx, cancel := context.WithCancel(context.Background())
	be.Start(ctx, ui)
	defer func() {
		cancel()
		be.Shutdown()
	}()

	rng := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	i := 0
	for b.Loop() {
		i++
		time.Sleep(time.Duration(rng.Int64N(int64(pollEvery))))
		r := writeCall("write_file", `{"n":`+strconv.Itoa(i)+`}`)
		r.Expires, r.ArgsHash = time.Now().Add(time.Hour), "h"+strconv.Itoa(i)
		c := &store.Call{Server: r.Server, Tool: r.Tool, Tier: r.Tier, Arguments: r.Arguments, ArgsHash: r.ArgsHash,
			DefHash: r.DefHash, Session: r.Session, Summary: r.Summary, Decision: store.DecisionPending}
		if err := proxy.Ask(ctx, c, &r); err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		for seen := false; !seen; {
			select {
			case l := <-ui.loads:
				if slices.Contains(l.ids, r.ID) {
					lat = append(lat, l.at.Sub(committed))
					seen = true
				}
			case <-time.After(30 * time.Second):
				b.Fatalf("request %d never reached the window", r.ID)
			}
		}
		// Answered elsewhere (the CLI), so the queue stays one deep.
		if _, err := proxy.Answer(ctx, r.ID, false, store.ScopeOnce, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	reportPercentiles(b, lat)
}

// reportPercentiles reports p50, p99 and the worst of ds in milliseconds.
func reportPercentiles(b *testing.B, ds []time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(q float64) float64 {
		if len(s) == 0 {
			return 0
		}
		i := max(int(math.Ceil(q/100*float64(len(s))))-1, 0)
		return float64(s[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(50), "p50-ms")
	b.ReportMetric(ms(99), "p99-ms")
	b.ReportMetric(ms(100), "max-ms")
}
