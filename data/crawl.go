package data

import (
	"context"
	"sync"
)

// Crawl delivers every row of a query, page by page and in order, to fn.
// With a known total it fetches up to concurrency pages at once by
// $skip/$top (order is preserved: pages are handed over in sequence and at
// most concurrency pages wait in memory); without one it follows the
// server's next links one after another. The page size is the one the
// server chose for the first page; the query's Skip is where the crawl
// starts and its Top, when set, how many rows it delivers at most.
func (c *Client) Crawl(ctx context.Context, set string, q Query, concurrency int, fn func(rows []Record, total int) error) error {
	return c.crawl(ctx, set, q, concurrency, nil, fn)
}

// crawl is Crawl with the pages fetched by goFn (nil: goroutines).
func (c *Client) crawl(ctx context.Context, set string, q Query, concurrency int, goFn func(func()), fn func(rows []Record, total int) error) error {
	if goFn == nil {
		goFn = func(f func()) { go f() }
	}
	if concurrency < 1 {
		concurrency = 1
	}
	q.Count = true
	fq := q
	if fq.Top > MaxPageRows {
		// A page that long would be refused: ask for the most there may be.
		fq.Top = MaxPageRows
	}
	first, err := c.Page(ctx, set, fq)
	if err != nil {
		return err
	}
	if err := fn(first.Rows, first.Count); err != nil {
		return err
	}
	if first.Next == "" {
		return nil
	}
	pageSize := len(first.Rows)
	if first.Count < 0 || pageSize == 0 || concurrency == 1 {
		return c.followNext(ctx, first, fn)
	}
	// Pages after the first, by index; each a $skip/$top of the page size
	// the server actually used.
	start := q.Skip + pageSize
	end := first.Count
	if q.Top > 0 && q.Skip+q.Top < end {
		end = q.Skip + q.Top
	}
	var pages []Query
	for skip := start; skip < end; skip += pageSize {
		p := q
		p.Skip, p.Top, p.Count = skip, min(pageSize, end-skip), false
		pages = append(pages, p)
	}
	return c.fetchOrdered(ctx, set, pages, concurrency, goFn, func(rows []Record) error { return fn(rows, first.Count) })
}

func (c *Client) followNext(ctx context.Context, p *Page, fn func([]Record, int) error) error {
	total := p.Count
	for p.Next != "" {
		u, err := c.nextURL(p)
		if err != nil {
			return err
		}
		if total >= 0 {
			withoutCount(u) // known from the first page
		}
		next, err := c.page(ctx, u.String(), p.version)
		if err != nil {
			return err
		}
		if err := fn(next.Rows, total); err != nil {
			return err
		}
		p = next
	}
	return nil
}

// fetchOrdered fetches pages with bounded concurrency and hands them to fn
// in their original order.
func (c *Client) fetchOrdered(parent context.Context, set string, pages []Query, concurrency int, goFn func(func()), fn func([]Record) error) error {
	ctx, cancel := context.WithCancel(parent)
	type result struct {
		rows []Record
		err  error
	}
	// One slot per page in flight: a worker may run ahead of delivery by at
	// most concurrency pages, which bounds memory. A page holds its place
	// in busy from its request until fn has had it: slots alone let one
	// more start as soon as delivery took a page out to wait for it.
	slots := make(chan chan result, concurrency)
	busy := make(chan struct{}, concurrency)
	// The producer counts in wg too, so its Adds never race a Wait at zero.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(slots)
		for _, q := range pages {
			ch := make(chan result, 1)
			select {
			case busy <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case slots <- ch:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			goFn(func() {
				defer wg.Done()
				p, err := c.Page(ctx, set, q)
				if err != nil {
					ch <- result{err: err}
					return
				}
				ch <- result{rows: p.Rows}
			})
		}
	}()
	defer func() {
		cancel()
		wg.Wait()
	}()
	for ch := range slots {
		var r result
		select {
		case r = <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		if err := fn(r.rows); err != nil {
			return err
		}
		<-busy
	}
	// The producer stops early only when the caller cancelled.
	return parent.Err()
}
