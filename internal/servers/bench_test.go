package servers

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// BenchmarkList is one refresh of the Servers & tools screen for a large
// setup: 20 servers of 25 tools each, every tool classified, two proxies.
// The window reads it after database changes, one read at a time.
func BenchmarkList(b *testing.B) {
	st, err := store.Open(b.TempDir() + "/airlock.db")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cfg := &config.Config{MCPServers: map[string]config.Server{}}
	verbs := []string{"read", "list", "write", "delete", "search"}
	var statuses []store.UpstreamStatus
	for s := range 20 {
		server := fmt.Sprintf("server%02d", s)
		cfg.MCPServers[server] = config.Server{Command: "node"}
		for i := range 25 {
			observeB(b, st, server, fmt.Sprintf("%s_item_%d", verbs[i%len(verbs)], i), "Do something with an item in the store.")
		}
		statuses = append(statuses, store.UpstreamStatus{Server: server, State: "running", PID: 1000 + s, Tools: 25, Since: time.Now()})
	}
	for p := range 2 {
		if err := st.BeatUpstreams(ctx, store.Proxy{PID: 1, Started: time.Now().Add(time.Duration(p) * time.Second)}, statuses); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		list, err := List(ctx, st, cfg, time.Now())
		if err != nil || len(list) != 20 || len(list[0].Tools) != 25 {
			b.Fatalf("List = %d servers, %v", len(list), err)
		}
	}
}
