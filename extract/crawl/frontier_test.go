package crawl

import (
	"context"
	"slices"
	"sync"
	"time"

	"govreport"
)

// memFrontier is the frontier in memory, for the crawler's tests: what
// store.Store keeps in SQLite (the end-to-end tests in cmd/govreport use
// the real one). Entries are kept in the order added.
type memFrontier struct {
	mu      sync.Mutex
	entries []*govreport.FrontierEntry
	fetches []govreport.Fetch
}

var _ govreport.Frontier = (*memFrontier)(nil)

func (m *memFrontier) find(url string) *govreport.FrontierEntry {
	for _, e := range m.entries {
		if e.URL == url {
			return e
		}
	}
	return nil
}

func (m *memFrontier) add(es []govreport.FrontierEntry) int {
	n := 0
	for _, e := range es {
		if m.find(e.URL) == nil {
			e.State, e.ErrorKind, e.Error = govreport.FrontierPending, "", ""
			m.entries = append(m.entries, &e)
			n++
		}
	}
	return n
}

func (m *memFrontier) AddFrontier(_ context.Context, es ...govreport.FrontierEntry) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.add(es), nil
}

func (m *memFrontier) ResumeFrontier(_ context.Context, seeds []string, revisit bool, retryKinds ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		if !slices.Contains(seeds, e.Seed) {
			continue
		}
		switch {
		case e.State == govreport.FrontierActive:
			e.State = govreport.FrontierPending
		case e.State == govreport.FrontierError && slices.Contains(retryKinds, e.ErrorKind):
			e.State, e.ErrorKind, e.Error = govreport.FrontierPending, "", ""
		case revisit && e.State == govreport.FrontierDone && e.Kind == govreport.FrontierListing:
			e.State = govreport.FrontierPending
		}
	}
	return nil
}

func (m *memFrontier) ClaimFrontier(_ context.Context, seeds []string) (*govreport.FrontierEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, kind := range []string{govreport.FrontierListing, govreport.FrontierDetail, ""} {
		for _, e := range m.entries {
			if e.State == govreport.FrontierPending && slices.Contains(seeds, e.Seed) &&
				(e.Kind == kind || kind == "" && e.Kind != govreport.FrontierListing && e.Kind != govreport.FrontierDetail) {
				e.State = govreport.FrontierActive
				c := *e
				return &c, nil
			}
		}
	}
	return nil, nil
}

func (m *memFrontier) FinishFrontier(_ context.Context, url, state, errKind, errMsg string, found []govreport.FrontierEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add(found)
	if e := m.find(url); e != nil {
		e.State, e.ErrorKind, e.Error = state, errKind, errMsg
	}
	return nil
}

func (m *memFrontier) FrontierEntry(_ context.Context, url string) (*govreport.FrontierEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.find(url); e != nil {
		c := *e
		return &c, nil
	}
	return nil, nil
}

func (m *memFrontier) CountFrontier(_ context.Context, seed, kind string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, e := range m.entries {
		if e.Seed == seed && (kind == "" || e.Kind == kind) {
			n++
		}
	}
	return n, nil
}

func (m *memFrontier) RecordFetch(_ context.Context, f govreport.Fetch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f.FetchedAt.IsZero() {
		f.FetchedAt = time.Now()
	}
	if f.Attempts == 0 {
		f.Attempts = 1
	}
	m.fetches = append(m.fetches, f)
	return nil
}

func (m *memFrontier) LastStored(_ context.Context, url string) (*govreport.Fetch, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.fetches) - 1; i >= 0; i-- {
		if f := m.fetches[i]; f.URL == url && f.Path != "" {
			return &f, nil
		}
	}
	return nil, nil
}

// stored returns the latest fetch of url that stored a file, or nil.
func (m *memFrontier) stored(url string) *govreport.Fetch {
	f, _ := m.LastStored(context.Background(), url)
	return f
}

// attempts returns the attempts of the first fetch of url.
func (m *memFrontier) attempts(url string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.fetches {
		if f.URL == url {
			return f.Attempts
		}
	}
	return 0
}
