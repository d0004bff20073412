package data

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
)

// ExportCSV streams every row of a query to w as CSV: UTF-8 with a byte
// order mark (so Excel reads accents correctly), a header of column titles,
// one line per row. Only the columns are requested ($select), pages are
// fetched with bounded concurrency and written as they arrive, so memory
// stays flat however many rows there are. progress is told rows written
// and the total after every page.
func (c *Client) ExportCSV(ctx context.Context, set string, q Query, columns []Property, w io.Writer, progress func(done, total int)) error {
	return c.ExportCSVWith(ctx, set, q, columns, w, ExportOptions{Concurrency: exportConcurrency, Progress: progress})
}

// exportConcurrency is how many pages ExportCSV has in flight: the fastest
// here (crawl_concurrent_ratio), for a command line or a test.
const exportConcurrency = 4

// ExportOptions tune ExportCSVWith.
type ExportOptions struct {
	// Concurrency is how many pages are in flight (below 1: one). An
	// export beside a window uses fewer: each page in flight is decoded on
	// a core the window's drawing needs (see ui/people_export.go).
	Concurrency int
	// Progress is told rows written and the total after every page.
	Progress func(done, total int)
	// Go runs each page's fetch and decoding (nil: a goroutine). The app
	// runs them at a lower priority than its window (internal/lowprio).
	Go func(func())
}

// ExportCSVWith is ExportCSV with its concurrency chosen by the caller.
func (c *Client) ExportCSVWith(ctx context.Context, set string, q Query, columns []Property, w io.Writer, opts ExportOptions) error {
	progress := opts.Progress
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	header := make([]string, len(columns))
	q.Select = nil
	for i, col := range columns {
		header[i] = ColumnTitle(col.Name)
		q.Select = append(q.Select, col.Name)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	done := 0
	line := make([]string, len(columns))
	err := c.crawl(ctx, set, q, opts.Concurrency, opts.Go, func(rows []Record, total int) error {
		for _, r := range rows {
			for i, col := range columns {
				line[i] = csvValue(r[col.Name], col)
			}
			if err := cw.Write(line); err != nil {
				return err
			}
		}
		done += len(rows)
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if progress != nil {
			progress(done, max(total, done))
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// csvValue writes a value for a spreadsheet, the same whichever OData
// version sent it (see value.csv): ISO 8601 dates and times at full
// precision, numbers as numbers, the formula guard on text only.
func csvValue(v any, col Property) string {
	return readValue(v, col).csv()
}
