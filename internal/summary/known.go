package summary

import (
	"strings"
)

// Tools of widely used servers whose names give no verb or no object
// ("git_reset" only unstages, "maps_geocode", "sequentialthinking") get a
// headline written for them. Each is used only when every argument is one
// that server's tool takes, so another server's tool of the same name with
// other arguments (a git_reset with a mode) gets the general summary, which
// shows them.
type knownTool struct {
	keys []string // normalized argument names the tool takes
	say  func(c *call) string
}

var knownTools = map[string]knownTool{
	// mcp-server-git (modelcontextprotocol/servers src/git).
	"git_reset": {[]string{"repopath"}, func(c *call) string {
		return "Unstage all changes" + c.in()
	}},
	"git_init": {[]string{"repopath"}, func(c *call) string {
		return "Create Git repository" + c.either(" ", "repopath")
	}},
	"git_branch": {[]string{"repopath", "branchtype", "contains", "notcontains"}, func(c *call) string {
		s := "List branches"
		if t, _, ok := c.args.text(10, "branchtype"); ok {
			switch strings.ToLower(t) {
			case "local", "remote":
				s = "List " + strings.ToLower(t) + " branches"
			case "all":
				s = "List local and remote branches"
			}
		}
		s += c.in()
		var cond []string
		if v := c.either("containing ", "contains"); v != "" {
			cond = append(cond, v)
		}
		if v := c.either("not containing ", "notcontains"); v != "" {
			cond = append(cond, v)
		}
		if len(cond) > 0 {
			s += ": " + strings.Join(cond, ", ")
		}
		return s
	}},
	"git_diff_unstaged": {[]string{"repopath", "contextlines"}, func(c *call) string {
		return "Read unstaged changes" + c.in()
	}},
	"git_diff_staged": {[]string{"repopath", "contextlines"}, func(c *call) string {
		return "Read staged changes" + c.in()
	}},
	"git_diff": {[]string{"repopath", "target", "contextlines"}, func(c *call) string {
		return "Read diff" + c.either(" against ", "target") + c.in()
	}},
	"git_commit": {[]string{"repopath", "message"}, func(c *call) string {
		return "Commit staged changes" + c.in() + c.either(": ", "message")
	}},
	"git_add": {[]string{"repopath", "files"}, func(c *call) string {
		return "Stage files" + c.items(" ", "files") + c.in()
	}},
	"git_log": {[]string{"repopath", "maxcount", "starttimestamp", "endtimestamp"}, func(c *call) string {
		return "Read commit log" + c.in()
	}},
	"git_show": {[]string{"repopath", "revision"}, func(c *call) string {
		return "Read commit" + c.either(" ", "revision") + c.in()
	}},
	// server-google-maps (modelcontextprotocol/servers-archived).
	"maps_geocode": {[]string{"address"}, func(c *call) string {
		return "Find coordinates of" + c.either(" ", "address")
	}},
	"maps_reverse_geocode": {[]string{"latitude", "longitude"}, func(c *call) string {
		if p := point(c.args); p != "" {
			return "Find address at " + p
		}
		return "Find address"
	}},
	"maps_directions": {[]string{"origin", "destination", "mode"}, func(c *call) string {
		return "Find directions" + c.either(" from ", "origin") + c.either(" to ", "destination") + c.mode()
	}},
	"maps_distance_matrix": {[]string{"origins", "destinations", "mode"}, func(c *call) string {
		return "Calculate distances" + c.items(" from ", "origins") + c.items(" to ", "destinations") + c.mode()
	}},
	"maps_elevation": {[]string{"locations"}, func(c *call) string {
		f, _ := c.args.raw("locations")
		var pts []string
		n := 0
		eachItem(f.raw, func(raw []byte) {
			n++
			if o, ok := parseObject(raw); ok && len(pts) < 3 {
				if p := point(o); p != "" {
					pts = append(pts, "("+p+")")
				}
			}
		})
		if len(pts) == 0 {
			return "Read elevation"
		}
		return "Read elevation at " + listOf(pts, n)
	}},
	// mcp-server-time (modelcontextprotocol/servers src/time).
	"get_current_time": {[]string{"timezone"}, func(c *call) string {
		return "Get current time" + c.either(" in ", "timezone")
	}},
	"convert_time": {[]string{"sourcetimezone", "time", "targettimezone"}, func(c *call) string {
		return "Convert time" + c.either(" ", "time") + c.either(" from ", "sourcetimezone") + c.either(" to ", "targettimezone")
	}},
	// server-sequential-thinking (modelcontextprotocol/servers).
	"sequentialthinking": {[]string{"thought", "nextthoughtneeded", "thoughtnumber", "totalthoughts",
		"isrevision", "revisesthought", "branchfromthought", "branchid", "needsmorethoughts"}, func(c *call) string {
		s := "Record thought" + c.either(" ", "thoughtnumber") + c.either(" of ", "totalthoughts")
		if v := c.either("revises thought ", "revisesthought"); v != "" {
			s += " (" + v + ")"
		}
		return s + c.either(": ", "thought")
	}},
	// server-everything (modelcontextprotocol/servers).
	"echo": {[]string{"message"}, func(c *call) string {
		return "Echo message" + c.either(": ", "message")
	}},
}

// known returns the headline of a tool listed in knownTools.
func (c *call) known() (string, bool) {
	if c.words == nil {
		return "", false // the name has hidden characters; see Of
	}
	k, ok := knownTools[strings.Join(c.words, "_")]
	if !ok || !c.only(k.keys) {
		return "", false
	}
	return k.say(c), true
}

// only reports that every argument is one of keys.
func (c *call) only(keys []string) bool {
	for _, f := range c.args.fields {
		found := false
		for _, k := range keys {
			if f.key == k {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// either writes prefix and the value of the first of keys present, or
// nothing.
func (c *call) either(prefix string, keys ...string) string {
	v, cut, ok := c.args.text(valueRunes, keys...)
	if !ok || strings.TrimSpace(v) == "" {
		return ""
	}
	if keys[0] == "repopath" {
		return prefix + c.path(v, cut)
	}
	return prefix + value(v, cut)
}

// in writes " in <repository path>" for mcp-server-git's tools.
func (c *call) in() string {
	return c.either(" in ", "repopath")
}

// mode writes a travel mode as a note: " (transit)".
func (c *call) mode() string {
	if v := c.either("", "mode"); v != "" {
		return " (" + v + ")"
	}
	return ""
}

// items lists up to three strings of an array after prefix: " from Paris,
// Lyon and 2 more". A long one keeps a visible "…".
func (c *call) items(prefix, key string) string {
	items, n := c.args.strings(3, itemRunes+1, key)
	if len(items) == 0 {
		return ""
	}
	for i, s := range items {
		s, cut := oneLine(s, itemRunes)
		items[i] = value(s, cut)
	}
	return prefix + listOf(items, n)
}

// point writes the latitude and longitude of o, "48.8584, 2.2945", or
// nothing when either is missing.
func point(o object) string {
	lat, lcut, ok1 := o.text(30, "latitude", "lat")
	lng, gcut, ok2 := o.text(30, "longitude", "lng", "lon")
	if !ok1 || !ok2 || lat == "" || lng == "" {
		return ""
	}
	return value(lat, lcut) + ", " + value(lng, gcut)
}
