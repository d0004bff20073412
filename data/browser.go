package data

import (
	"context"
	"sync"
)

// Browser serves rows of one query to a virtualised table: it fetches the
// page around a row when the row is first asked for, keeps a bounded cache
// of pages (least recently used go first), and never fetches a page twice at
// once. It is safe for concurrent use.
type Browser struct {
	client   *Client
	set      string
	query    Query
	pageSize int
	maxPages int
	run      func(func())
	onChange func(err error)

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	total    int
	pages    map[int]*cachedPage
	loading  map[int]bool
	clock    int
	requests int
}

type cachedPage struct {
	rows []Record
	used int
}

// BrowserOptions configure a Browser.
type BrowserOptions struct {
	// PageSize is the rows per request (default 200).
	PageSize int
	// MaxPages bounds the cache (default 10 pages: 2,000 rows of 200 are
	// 80 screens of a table; a decoded person takes about 2 KB).
	MaxPages int
	// Go runs a fetch (default: a new goroutine).
	Go func(func())
	// OnChange is called after every page arrives or fails, from the fetching
	// goroutine; err is the failure, if any.
	OnChange func(err error)
}

// NewBrowser starts browsing a query. Call Open before asking for rows.
func (c *Client) NewBrowser(set string, q Query, o BrowserOptions) *Browser {
	if o.PageSize <= 0 {
		o.PageSize = 200
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 10
	}
	if o.Go == nil {
		o.Go = func(f func()) { go f() }
	}
	if o.OnChange == nil {
		o.OnChange = func(error) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Browser{
		client: c, set: set, query: q, pageSize: o.PageSize, maxPages: o.MaxPages,
		run: o.Go, onChange: o.OnChange, ctx: ctx, cancel: cancel,
		total: -1, pages: map[int]*cachedPage{}, loading: map[int]bool{},
	}
}

// Open fetches the first page with the total, so the table knows its length.
func (b *Browser) Open(ctx context.Context) error {
	q := b.query
	q.Top, q.Count = b.pageSize, true
	b.mu.Lock()
	b.requests++
	b.mu.Unlock()
	p, err := b.client.Page(ctx, b.set, q)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if p.Next != "" && len(p.Rows) > 0 && len(p.Rows) < b.pageSize {
		// The server pages smaller than we asked: follow its size.
		b.pageSize = len(p.Rows)
	}
	b.total = p.Count
	if b.total < 0 {
		b.total = len(p.Rows)
		if p.Next != "" {
			b.total++ // at least one more; grows as pages arrive
		}
	}
	b.store(0, p.Rows)
	return nil
}

// OnChange replaces the function told when a page arrives or fails.
func (b *Browser) OnChange(f func(err error)) {
	b.mu.Lock()
	b.onChange = f
	b.mu.Unlock()
}

// Close stops fetches in flight.
func (b *Browser) Close() { b.cancel() }

// Len is the number of rows (the server's total).
func (b *Browser) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return max(b.total, 0)
}

// Requests is how many page requests the browser has made.
func (b *Browser) Requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.requests
}

// CachedPages is how many pages are held.
func (b *Browser) CachedPages() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pages)
}

// Row returns row i if its page is cached; otherwise it starts fetching the
// page and returns false (OnChange tells when it has arrived).
func (b *Browser) Row(i int) (Record, bool) {
	if r, ok := b.Cached(i); ok || i < 0 {
		return r, ok
	}
	b.mu.Lock()
	fetch := b.fetchLocked(i / b.pageSize)
	b.mu.Unlock()
	if fetch == nil {
		return nil, false
	}
	b.start(fetch)
	// An inline runner may have delivered the page already.
	return b.Cached(i)
}

// Cached returns row i only if it is already loaded; it fetches nothing.
func (b *Browser) Cached(i int) (Record, bool) {
	if i < 0 {
		return nil, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	idx := i / b.pageSize
	if p, ok := b.pages[idx]; ok && i-idx*b.pageSize < len(p.rows) {
		b.clock++
		p.used = b.clock
		return p.rows[i-idx*b.pageSize], true
	}
	return nil, false
}

func (b *Browser) start(fetches ...func()) {
	for _, f := range fetches {
		if f != nil {
			b.run(f)
		}
	}
}

// Prefetch makes sure the pages covering rows from..to are cached or coming.
func (b *Browser) Prefetch(from, to int) {
	b.mu.Lock()
	var fetches []func()
	for idx := max(from, 0) / b.pageSize; idx <= to/b.pageSize && idx*b.pageSize < b.total; idx++ {
		fetches = append(fetches, b.fetchLocked(idx))
	}
	b.mu.Unlock()
	b.start(fetches...)
}

// fetchLocked marks a page as loading and returns the fetch to run once the
// lock is released (nil when it is cached, coming, or past the end).
func (b *Browser) fetchLocked(idx int) func() {
	if _, cached := b.pages[idx]; cached {
		return nil
	}
	if b.loading[idx] || b.ctx.Err() != nil || (b.total >= 0 && idx*b.pageSize >= b.total) {
		return nil
	}
	b.loading[idx] = true
	b.requests++
	q := b.query
	q.Skip, q.Top, q.Count = idx*b.pageSize, b.pageSize, false
	return func() {
		p, err := b.client.Page(b.ctx, b.set, q)
		b.mu.Lock()
		delete(b.loading, idx)
		if err == nil {
			b.store(idx, p.Rows)
		}
		b.mu.Unlock()
		b.mu.Lock()
		notify := b.onChange
		b.mu.Unlock()
		if b.ctx.Err() == nil {
			notify(err)
		}
	}
}

// store caches a page, evicting the least recently used beyond the bound.
func (b *Browser) store(idx int, rows []Record) {
	b.clock++
	b.pages[idx] = &cachedPage{rows: rows, used: b.clock}
	for len(b.pages) > b.maxPages {
		oldest, at := -1, int(^uint(0)>>1)
		for k, p := range b.pages {
			if p.used < at {
				oldest, at = k, p.used
			}
		}
		delete(b.pages, oldest)
	}
}
