package inspect

import "testing"

func TestHTTPMethod(t *testing.T) {
	cases := []struct {
		method string
		tier   Tier
		want   string
	}{
		{"GET", Read, "HTTP GET"},
		{"get", Read, "HTTP GET"},
		{" HEAD ", Read, ""},
		{"OPTIONS", Read, ""},
		{"POST", Write, "HTTP POST"},
		{"put", Write, ""},
		{"PATCH", Write, ""},
		{"DELETE", Destructive, "HTTP DELETE"},
		{"Delete", Destructive, ""},
		{"PURGE", Destructive, ""},
		{"BREW", Write, "unknown"},
		{"", Write, "missing"},
	}
	for _, c := range cases {
		check(t, c.method, HTTPMethod(c.method), c.tier, c.want)
	}
}

func TestVerb(t *testing.T) {
	cases := []struct {
		word  string
		known bool
		tier  Tier
		want  string
	}{
		{"get", true, Read, `operation "get"`},
		{"list", true, Read, ""},
		{"LIST", true, Read, ""},
		{"create", true, Write, ""},
		{"update", true, Write, ""},
		{"set", true, Write, ""},
		{"post", true, Write, ""},
		{"put", true, Write, ""},
		{"patch", true, Write, ""},
		{"delete", true, Destructive, `operation "delete"`},
		{"drop", true, Destructive, ""},
		{"destroy", true, Destructive, ""},
		{"purge", true, Destructive, ""},
		{"remove", true, Destructive, ""},
		{"truncate", true, Destructive, ""},
		{"kill", true, Destructive, ""},
		{"terminate", true, Destructive, ""},
		{"force-push", true, Destructive, ""},
		{"force_push", true, Destructive, ""},
		{"delete_user", true, Destructive, `operation "delete"`},
		{"bulkDelete", true, Destructive, ""},
		{"list_files", true, Read, ""},
		{"listDeleted", true, Read, ""}, // "deleted" is not a verb: listing deleted items reads
		{"get-and-delete", true, Destructive, ""},
		{"create_or_update", true, Write, ""},
		{"frobnicate", false, Read, ""},
		{"", false, Read, ""},
	}
	for _, c := range cases {
		f, ok := Verb(c.word)
		if ok != c.known {
			t.Errorf("%q: known %v, want %v", c.word, ok, c.known)
			continue
		}
		if ok {
			check(t, c.word, f, c.tier, c.want)
		}
	}
}

func TestTierString(t *testing.T) {
	for tier, want := range map[Tier]string{Read: "read", Write: "write", Destructive: "destructive", Tier(9): "unknown"} {
		if got := tier.String(); got != want {
			t.Errorf("%d: %q, want %q", tier, got, want)
		}
	}
	if !(Read < Write && Write < Destructive) {
		t.Fatal("tiers out of order")
	}
}
