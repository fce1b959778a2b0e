package secrets

import (
	"context"
	"sync"
)

// Memory is a keychain in memory, for tests of code that uses a Keychain.
// Err, when set, is returned by every call, as an unavailable keychain would.
type Memory struct {
	mu     sync.Mutex
	values map[string]string
	Err    error
}

func (m *Memory) Set(_ context.Context, name, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return m.Err
	}
	if m.values == nil {
		m.values = map[string]string{}
	}
	m.values[name] = value
	return nil
}

func (m *Memory) Get(_ context.Context, name string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return "", m.Err
	}
	v, ok := m.values[name]
	if !ok {
		return "", ErrNotSet
	}
	return v, nil
}

func (m *Memory) Delete(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return m.Err
	}
	if _, ok := m.values[name]; !ok {
		return ErrNotSet
	}
	delete(m.values, name)
	return nil
}
