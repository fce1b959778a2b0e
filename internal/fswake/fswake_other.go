//go:build !linux

package fswake

import "context"

// watch has no file watch here yet: watchers poll.
func watch(context.Context, string, []string) (<-chan struct{}, error) {
	return nil, ErrUnsupported
}
