package fswake

import (
	"context"
	"sync"
)

// Signal lets any number of waiters watch one wake channel: Next returns a
// channel closed at the next wake after the call. A nil Signal never wakes.
type Signal struct {
	mu   sync.Mutex
	next chan struct{}
}

// NewSignal relays wake (from Watch) until ctx ends. A nil wake (no watch
// here) gives a Signal that never wakes.
func NewSignal(ctx context.Context, wake <-chan struct{}) *Signal {
	s := &Signal{next: make(chan struct{})}
	if wake == nil {
		return s
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
				s.mu.Lock()
				close(s.next)
				s.next = make(chan struct{})
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// Next returns a channel closed at the next wake. Take it before reading
// what the wake is about, so a change right after the read still wakes.
func (s *Signal) Next() <-chan struct{} {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}
