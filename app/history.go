package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// HistoryFilter is the History screen's filter. Empty fields do not filter.
type HistoryFilter struct {
	Server   string `json:"server"`
	Tool     string `json:"tool"`
	Tier     string `json:"tier"`
	Decision string `json:"decision"`
	Outcome  string `json:"outcome"`
	Since    string `json:"since"`  // RFC 3339; calls started at or after
	Until    string `json:"until"`  // RFC 3339; calls started before
	Search   string `json:"search"` // substring of arguments, summary, server or tool
	BeforeID int64  `json:"beforeId"`
	Limit    int    `json:"limit"`
}

// HistoryCall is one audit row with everything the detail panel shows. The
// fields of CallView are repeated rather than embedded: the Wails binding
// generator writes one flat class per struct.
type HistoryCall struct {
	ID         int64    `json:"id"`
	Time       string   `json:"time"` // RFC 3339 with milliseconds
	Server     string   `json:"server"`
	Tool       string   `json:"tool"`
	Tier       string   `json:"tier"`
	Decision   string   `json:"decision"`
	Outcome    string   `json:"outcome"`
	DurationMs float64  `json:"durationMs"`
	Arguments  string   `json:"arguments"` // redacted JSON
	Error      string   `json:"error"`
	Client     string   `json:"client"`
	Session    string   `json:"session"`
	DecidedBy  string   `json:"decidedBy"`
	Reasons    []string `json:"reasons"`
	Summary    string   `json:"summary"`
	RequestID  int64    `json:"requestId"`
	// Rule is the rule that decided the call (or set its tier), as it read
	// then; "" when no rule matched.
	Rule string `json:"rule"`
}

// HistoryPage is one page, newest first. NextBeforeID is the cursor for
// the next page; 0 means this is the last one.
type HistoryPage struct {
	Calls        []HistoryCall `json:"calls"`
	NextBeforeID int64         `json:"nextBeforeId"`
}

// DayCountView is the number of calls of one tier and decision on one day.
type DayCountView struct {
	Day      string `json:"day"` // YYYY-MM-DD, local calendar
	Tier     string `json:"tier"`
	Decision string `json:"decision"`
	Count    int    `json:"count"`
}

// History is the bound service behind the History screen.
type History struct {
	open func() (*store.Store, error)
	now  func() time.Time
	// exportDir picks the folder exports go to; tests point it at a temp dir.
	exportDir func() (string, error)
}

// NewHistory reads the audit log through open (Calls.open).
func NewHistory(open func() (*store.Store, error)) *History {
	return &History{open: open, now: time.Now, exportDir: downloadsDir}
}

// History returns one page of calls matching filter.
func (h *History) History(filter HistoryFilter) (HistoryPage, error) {
	page := HistoryPage{Calls: []HistoryCall{}}
	f, err := filter.store()
	if err != nil {
		return page, err
	}
	f.Limit = pageLimit(filter.Limit)
	st, err := h.open()
	if err != nil || st == nil {
		return page, err
	}
	rows, err := st.Calls(context.Background(), f)
	if err != nil {
		return page, fmt.Errorf("read history: %w", err)
	}
	for _, r := range rows {
		page.Calls = append(page.Calls, historyView(r))
	}
	if len(rows) == f.Limit {
		page.NextBeforeID = rows[len(rows)-1].ID
	}
	return page, nil
}

// Export writes every call matching filter (not just the loaded pages) to
// a new file in the Downloads folder, or the home folder without one, and
// returns its path. format is "csv" or "json".
func (h *History) Export(filter HistoryFilter, format string) (string, error) {
	if format != store.FormatCSV && format != store.FormatJSON {
		return "", fmt.Errorf("export: unknown format %q (want csv or json)", format)
	}
	f, err := filter.store()
	if err != nil {
		return "", err
	}
	f.Limit, f.BeforeID = 0, 0
	st, err := h.open()
	if err != nil {
		return "", err
	}
	if st == nil {
		return "", errors.New("export: no audit log yet: no call has gone through airlock proxy")
	}
	dir, err := h.exportDir()
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("airlock-history-%s.%s", h.now().Format("20060102-150405"), format)
	path := filepath.Join(dir, name)
	// O_EXCL: never overwrite a file the user has, even one from a second
	// export within the same second.
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	for i := 2; errors.Is(err, fs.ErrExist) && i < 100; i++ {
		path = filepath.Join(dir, fmt.Sprintf("airlock-history-%s-%d.%s", h.now().Format("20060102-150405"), i, format))
		file, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return "", fmt.Errorf("export: create file: %w", err)
	}
	if err := st.ExportCalls(context.Background(), f, file, format); err != nil {
		file.Close()
		os.Remove(path)
		return "", err
	}
	if err := file.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("export: write %s: %w", path, err)
	}
	return path, nil
}

// CallsPerDay counts the calls of the last days (today included) by local
// day, tier and decision, for the chart.
func (h *History) CallsPerDay(days int) ([]DayCountView, error) {
	days = min(max(days, 1), 366)
	out := []DayCountView{}
	st, err := h.open()
	if err != nil || st == nil {
		return out, err
	}
	now := h.now()
	y, m, d := now.Date()
	since := time.Date(y, m, d-days+1, 0, 0, 0, 0, now.Location())
	rows, err := st.CallsPerDay(context.Background(), since, now.Add(time.Minute))
	if err != nil {
		return out, fmt.Errorf("read calls per day: %w", err)
	}
	for _, r := range rows {
		out = append(out, DayCountView{Day: r.Day, Tier: r.Tier, Decision: r.Decision, Count: r.Count})
	}
	return out, nil
}

// CallName is one server and tool pair seen in the audit log. More marks
// the last tool listed of a server that has more than maxToolsPerServer.
type CallName struct {
	Server string `json:"server"`
	Tool   string `json:"tool"`
	More   bool   `json:"more,omitempty"`
}

// The suggestions are capped: a list longer than this helps nobody pick,
// and a server that invents tool names cannot make the answer big or, with
// a cap of its own, push the servers after it out of the list.
const (
	maxToolsPerServer = 200
	maxCallNames      = 5000
)

// Names returns the server and tool pairs of the logged calls, sorted, for
// the Server and Tool filters to suggest. The filters still match exactly.
func (h *History) Names() ([]CallName, error) {
	out := []CallName{}
	st, err := h.open()
	if err != nil || st == nil {
		return out, err
	}
	names, err := st.CallNames(context.Background(), maxToolsPerServer, maxCallNames)
	if err != nil {
		return out, err
	}
	for _, n := range names {
		out = append(out, CallName{Server: n.Server, Tool: n.Tool, More: n.More})
	}
	return out, nil
}

func (f HistoryFilter) store() (store.Filter, error) {
	out := store.Filter{
		Server: f.Server, Tool: f.Tool, Tier: f.Tier, Decision: f.Decision, Outcome: f.Outcome,
		Search: f.Search, BeforeID: f.BeforeID,
	}
	var err error
	if out.Since, err = parseTime("since", f.Since); err != nil {
		return out, err
	}
	if out.Until, err = parseTime("until", f.Until); err != nil {
		return out, err
	}
	return out, nil
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("history filter %s: %w", field, err)
	}
	return t, nil
}

func pageLimit(n int) int {
	if n <= 0 {
		return store.DefaultLimit
	}
	return min(n, maxLimit)
}

func historyView(r store.Call) HistoryCall {
	reasons := r.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	v := view(r)
	return HistoryCall{
		ID: v.ID, Time: v.Time, Server: v.Server, Tool: v.Tool, Tier: v.Tier, Decision: v.Decision,
		Outcome: v.Outcome, DurationMs: v.DurationMs, Arguments: v.Arguments, Error: v.Error, Client: r.Client, Session: r.Session, DecidedBy: r.DecidedBy,
		Reasons: reasons, Summary: r.Summary, RequestID: r.RequestID, Rule: r.Rule,
	}
}

// downloadsDir is ~/Downloads when it exists, else the home folder.
func downloadsDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("export: find home folder: %w", err)
	}
	if fi, err := os.Stat(filepath.Join(home, "Downloads")); err == nil && fi.IsDir() {
		return filepath.Join(home, "Downloads"), nil
	}
	return home, nil
}
