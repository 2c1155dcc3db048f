package govreport

import (
	"context"
	"time"
)

// Kinds of frontier entries: a listing page of reports, a report's page,
// a report file linked from either.
const (
	FrontierListing    = "listing"
	FrontierDetail     = "detail"
	FrontierAttachment = "attachment"
)

// Frontier entry states.
const (
	FrontierPending = "pending"
	FrontierActive  = "active" // claimed by a run; a run that dies leaves it so
	FrontierDone    = "done"
	FrontierError   = "error"
	FrontierSkipped = "skipped"
)

// FrontierEntry is one URL the crawler means to fetch.
type FrontierEntry struct {
	// URL is the entry's key and what is fetched. A POST request a site
	// adapter makes (a Hanweb dataproxy page) is its URL, "#" and its
	// url-encoded form: fragments are never sent, and links lose theirs.
	URL       string
	Kind      string // FrontierListing, FrontierDetail, FrontierAttachment
	Agency    string // from the seeds file
	Seed      string // the listing URL it descends from
	Depth     int    // links followed from the seed
	Year      int    // the year named by the link, when any
	Parent    string // the page that linked it
	Listed    string // YYYY-MM-DD printed beside the link on the listing page, when any
	Adapter   string // the site adapter that reads this listing page, when only one can (a JSON API's answer)
	State     string
	ErrorKind string // robots, timeout, too_large, http_404, …
	Error     string
}

// Fetch is one fetch of a URL, after retries.
type Fetch struct {
	URL          string
	FinalURL     string // after redirects, when it differs
	Status       int    // HTTP status; 0 when no response
	Attempts     int
	Bytes        int64
	SHA256       string // of the body stored
	Path         string // the stored file, relative to the crawl's directory
	ContentType  string
	ETag         string
	LastModified string
	FetchedAt    time.Time
	ErrorKind    string
	Error        string
}

// Frontier is the crawler's state, kept where a crawl killed at any moment
// finds it again: every URL it means to fetch and a log of every fetch.
// store.Store implements it. Implementations are safe for concurrent use.
type Frontier interface {
	// AddFrontier adds entries not yet known (by URL) as pending and
	// reports how many were new.
	AddFrontier(ctx context.Context, es ...FrontierEntry) (int, error)
	// ResumeFrontier prepares a new run over the entries descending from
	// seeds: active entries (left by a run that died) and entries failed
	// with one of retryKinds go back to pending, as do listing pages done,
	// when revisit is true.
	ResumeFrontier(ctx context.Context, seeds []string, revisit bool, retryKinds ...string) error
	// ClaimFrontier marks the next pending entry descending from one of
	// seeds active and returns it, or nil when none is pending: listing
	// pages first, then detail pages, then attachments, each in the order
	// added.
	ClaimFrontier(ctx context.Context, seeds []string) (*FrontierEntry, error)
	// FinishFrontier sets an entry's final state for this run (done,
	// error, skipped) and adds the entries found on it, at once.
	FinishFrontier(ctx context.Context, url, state, errKind, errMsg string, found []FrontierEntry) error
	// FrontierEntry returns the entry for url, or nil.
	FrontierEntry(ctx context.Context, url string) (*FrontierEntry, error)
	// CountFrontier counts a seed's entries of one kind (every kind when
	// kind is empty).
	CountFrontier(ctx context.Context, seed, kind string) (int, error)
	// RecordFetch logs one fetch.
	RecordFetch(ctx context.Context, f Fetch) error
	// LastStored returns the latest fetch of url whose body was stored, or
	// nil: the file to reuse and the validators of a conditional request.
	LastStored(ctx context.Context, url string) (*Fetch, error)
}
