package secrets

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// PlainIn lists the token-like env values and args airlock.json in home
// holds in plain text for the given servers only (say, the ones a Connect has just
// moved there), as Plain does: where they are, never what they are.
func PlainIn(home string, servers []string) ([]Moved, error) {
	all, err := Plain(home)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(m Moved) bool { return !slices.Contains(servers, m.Server) }), nil
}

// Outcome is what became of one env value (or arg) a person chose to move.
type Outcome struct {
	Server, Key string
	// Name is the secret now holding the value; airlock.json says
	// Placeholder(Name) instead. "" when the value did not move.
	Name string
	// Err says why the value did not move; airlock.json still holds it.
	Err error
}

// MoveChosen moves the chosen env values and args of airlock.json (Server
// and Key of each) into the keychain, one value at a time: each is rewritten in
// airlock.json as soon as the keychain holds it, so every value ends
// either moved or untouched, never half-way.
//
// The keychain is asked first: when it does not answer (no D-Bus, no
// Secret Service, locked, no answer in time), nothing is tried and the
// error (an *Unavailable) says what is missing. One that stops answering
// part-way is not asked again: the values left get its error, unmoved.
func (s *Store) MoveChosen(ctx context.Context, home string, chosen []Moved) ([]Outcome, error) {
	if err := Check(ctx, s.kc); err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(chosen))
	var gone error // the keychain stopped answering
	for _, c := range chosen {
		o := Outcome{Server: c.Server, Key: c.Key}
		if gone != nil {
			o.Err = gone
			out = append(out, o)
			continue
		}
		moved, err := s.MoveFromConfig(ctx, home, func(server, key string) (bool, error) {
			return server == c.Server && key == c.Key, nil
		})
		switch {
		case err != nil:
			o.Err = err
			if u := (*Unavailable)(nil); errors.As(err, &u) {
				gone = err
			}
		case len(moved) == 0:
			o.Err = fmt.Errorf("%s is not a plain-text credential in airlock.json (any more)", Where(c.Server, c.Key))
		default:
			o.Name = moved[0].Name
		}
		out = append(out, o)
	}
	return out, nil
}
