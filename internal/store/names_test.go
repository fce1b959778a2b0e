package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestCallNames(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	got, err := s.CallNames(ctx, 0, 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty log: %v, %v; want no names", got, err)
	}
	seedHistory(t, s, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	// Names a neighbour could share a prefix with, and one with a control
	// character, are kept as they are.
	for _, c := range []Call{
		{Server: "memory", Tool: "create_entities", Tier: "write", Decision: "allow"},
		{Server: "mem", Tool: "create_entities", Tier: "write", Decision: "allow"},
		{Server: "mem", Tool: "read\u202egraph", Tier: "read", Decision: "allow"},
		{Server: "mem", Tool: "create_entities", Tier: "write", Decision: "allow"},
	} {
		c.Time = time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC)
		if _, err := s.BeginCall(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	want := []ToolName{
		{"db", "query", false}, {"fs", "read_file", false}, {"fs", "write_file", false},
		{"mem", "create_entities", false}, {"mem", "read\u202egraph", false},
		{"memory", "create_entities", false}, {"shell", "run", false},
	}
	if got, err = s.CallNames(ctx, 0, 0); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("CallNames = %#v, %v; want %#v", got, err, want)
	}
	// Cut by the overall bound inside fs: its last pair says more exist.
	wantMax := append([]ToolName(nil), want[:2]...)
	wantMax[1].More = true
	if got, err = s.CallNames(ctx, 0, 2); err != nil || !reflect.DeepEqual(got, wantMax) {
		t.Fatalf("CallNames(max 2) = %#v, %v; want %#v", got, err, wantMax)
	}
	// One tool a server: fs and mem are cut, the servers after them stay.
	wantOne := []ToolName{
		{"db", "query", false}, {"fs", "read_file", true}, {"mem", "create_entities", true},
		{"memory", "create_entities", false}, {"shell", "run", false},
	}
	if got, err = s.CallNames(ctx, 1, 0); err != nil || !reflect.DeepEqual(got, wantOne) {
		t.Fatalf("CallNames(1 a server) = %#v, %v; want %#v", got, err, wantOne)
	}
}

// A server that logs more made-up tool names than the overall bound does
// not hide the servers sorted after it: it gets perServer of them.
func TestCallNamesNoisyServer(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	log := func(server, tool string) {
		c := Call{Time: time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC), Server: server, Tool: tool, Tier: "read", Decision: "allow"}
		if _, err := s.BeginCall(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	log("alpha", "search")
	for i := range 50 {
		log("loud", fmt.Sprintf("made_up_%03d", i))
	}
	log("zeta", "read_file")
	log("zeta", "write_file")
	got, err := s.CallNames(ctx, 10, 20)
	if err != nil {
		t.Fatal(err)
	}
	want := []ToolName{{"alpha", "search", false}}
	for i := range 10 {
		want = append(want, ToolName{"loud", fmt.Sprintf("made_up_%03d", i), i == 9})
	}
	want = append(want, ToolName{"zeta", "read_file", false}, ToolName{"zeta", "write_file", false})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("CallNames(10 a server, 20 in all) = %#v; want %#v", got, want)
	}
}

// The walk seeks in the server/tool index: its time follows the pairs (32
// here), not the million calls.
func BenchmarkCallNames(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.CallNames(ctx, 200, 5000); err != nil {
			b.Fatal(err)
		}
	}
}
