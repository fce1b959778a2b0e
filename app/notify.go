package app

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/airlock-dev/airlock/internal/store"
	"github.com/airlock-dev/airlock/internal/summary"
)

// notifySummaryRunes bounds the summary in a notification; the body says
// when it is cut, and the window shows it whole.
const notifySummaryRunes = 160

// notification is the OS notification for requests the window has not
// shown before, oldest first.
//
// Freedesktop notification servers may read a subset of HTML in the body,
// and the summary is untrusted text chosen by a model: markup characters
// are escaped, and hidden characters are written out as in the terminal.
func notification(fresh []store.Request) (title, body string) {
	if len(fresh) == 0 {
		return "", ""
	}
	r := fresh[len(fresh)-1]
	what := map[string]string{
		store.KindConsent: "First read from " + r.Server + ": allow?",
		store.KindChanged: "Tool definition changed: " + r.Server + "/" + r.Tool,
	}[r.Kind]
	if what == "" {
		what = strings.ToUpper(r.Tier) + " call waits for you"
	}
	title = "Airlock: " + clipRunes(summary.Visible(what), notifySummaryRunes)
	body = clipRunes(summary.Visible(r.Summary), notifySummaryRunes)
	if len(fresh) > 1 {
		body += fmt.Sprintf("\n(and %d more waiting)", len(fresh)-1)
	}
	return escapeMarkup(title), escapeMarkup(body)
}

// clipRunes keeps the first n characters and says that the rest is in the window.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "… (see all in Airlock)"
		}
		i++
	}
	return s
}

var markup = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeMarkup(s string) string { return markup.Replace(s) }
