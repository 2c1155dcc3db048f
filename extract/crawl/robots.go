package crawl

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Robots is the part of a robots.txt file that applies to one user agent
// (RFC 9309): its Allow and Disallow rules and its Crawl-delay.
type Robots struct {
	rules      []robotsRule
	CrawlDelay time.Duration // 0: none given
}

type robotsRule struct {
	allow   bool
	pattern string
}

// AllowAll is the policy of a host without a robots.txt.
var AllowAll = &Robots{}

// DisallowAll is the policy of a host whose robots.txt cannot be read
// (server errors, network failures): RFC 9309 says assume complete
// disallow.
var DisallowAll = &Robots{rules: []robotsRule{{allow: false, pattern: "/"}}}

// ParseRobots reads a robots.txt file for the user agent whose product
// token is agent (e.g. "govreport"). The group naming the agent applies;
// if none does, the "*" group; groups naming the same agent are merged.
func ParseRobots(data []byte, agent string) *Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inAgents := false // the previous line was a user-agent line
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil {
				continue
			}
			if v == "" { // "Disallow:" allows everything
				continue
			}
			cur.rules = append(cur.rules, robotsRule{allow: k == "allow", pattern: v})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
				cur.delay = time.Duration(f * float64(time.Second))
			}
		default:
			inAgents = false // sitemap and others end a group's agent lines
		}
	}
	r := &Robots{}
	var star []*group
	matched := false
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*":
				star = append(star, g)
			case a != "" && strings.Contains(agent, a):
				matched = true
				r.rules = append(r.rules, g.rules...)
				r.CrawlDelay = max(r.CrawlDelay, g.delay)
			}
		}
	}
	if !matched {
		for _, g := range star {
			r.rules = append(r.rules, g.rules...)
			r.CrawlDelay = max(r.CrawlDelay, g.delay)
		}
	}
	return r
}

// Allowed reports whether the path (with its query) may be fetched: the
// longest matching rule wins, Allow on a tie; no match allows.
func (r *Robots) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if !matchRobots(rule.pattern, path) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// matchRobots matches a robots.txt path pattern: a prefix match where *
// stands for any run of characters and a final $ anchors the end.
func matchRobots(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	pos := len(parts[0])
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return len(path)-pos >= len(p) && strings.HasSuffix(path, p)
		}
		j := strings.Index(path[pos:], p)
		if j < 0 {
			return false
		}
		pos += j + len(p)
	}
	if anchored && len(parts) == 1 {
		return pos == len(path)
	}
	return true
}
