package data

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
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

// csvValue formats a value for a spreadsheet: dates as ISO dates (which
// Excel reads in any locale), booleans as Yes/No, numbers as they came.
// Text that a spreadsheet would run as a formula is prefixed with ' (CSV
// injection: a name like "=HYPERLINK(…)" must stay text).
func csvValue(v any, col Property) string {
	var s string
	switch x := v.(type) {
	case string:
		if isDateType(col.Type) {
			if t, ok := ParseDate(x); ok {
				if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
					return t.Format("2006-01-02")
				}
				return t.Format("2006-01-02 15:04:05")
			}
		}
		s = x
	case json.Number:
		return x.String()
	default:
		s = FormatValue(v)
	}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func isDateType(t string) bool {
	return t == "Edm.DateTime" || t == "Edm.DateTimeOffset" || t == "Edm.Date"
}
