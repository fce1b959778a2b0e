package fswake

import (
	"encoding/binary"
	"testing"
)

func TestAnyNamed(t *testing.T) {
	event := func(name string, pad int) []byte {
		b := make([]byte, 16) // wd, mask, cookie, len
		binary.NativeEndian.PutUint32(b[12:], uint32(len(name)+pad))
		return append(append(b, name...), make([]byte, pad)...)
	}
	var both []byte
	both = append(both, event("airlock.json", 4)...)
	both = append(both, event("airlock.db-wal", 2)...)
	tests := []struct {
		name string
		buf  []byte
		want bool
	}{
		{"other file", event("airlock.json", 4), false},
		{"named file after another", both, true},
		{"prefix of a name is not the name", event("airlock.db-w", 4), false},
		{"no name (the folder itself)", event("", 0), false},
		{"truncated event", event("airlock.db-wal", 2)[:20], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := anyNamed(tt.buf, []string{"airlock.db", "airlock.db-wal"}); got != tt.want {
				t.Errorf("anyNamed = %v, want %v", got, tt.want)
			}
		})
	}
}
