package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestCallNames(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	got, err := s.CallNames(ctx, 0)
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
		{"db", "query"}, {"fs", "read_file"}, {"fs", "write_file"},
		{"mem", "create_entities"}, {"mem", "read\u202egraph"},
		{"memory", "create_entities"}, {"shell", "run"},
	}
	if got, err = s.CallNames(ctx, 0); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("CallNames = %q, %v; want %q", got, err, want)
	}
	if got, err = s.CallNames(ctx, 3); err != nil || !reflect.DeepEqual(got, want[:3]) {
		t.Fatalf("CallNames(max 3) = %q, %v; want %q", got, err, want[:3])
	}
}

// The walk seeks in the server/tool index: its time follows the pairs (32
// here), not the million calls.
func BenchmarkCallNames(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.CallNames(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
}
