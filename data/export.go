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
	err := c.Crawl(ctx, set, q, 4, func(rows []Record, total int) error {
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
