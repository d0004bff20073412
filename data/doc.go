// Package data reads the tenant's APIs: TokenInfo (who is signed in) and the
// OData DataService (People). It takes an HTTP client that already carries
// the access token; it knows nothing of how that token was obtained.
//
// Where things are:
//
//   - client.go: Client, one request and its errors (APIError, ErrCancelled)
//   - tokeninfo.go: TokenInfo, who the token belongs to
//   - metadata.go: $metadata (Metadata, EntityType, Property) and the
//     protocol Version
//   - query.go: Query and the $filter builders (Literal, Contains, Search)
//   - people.go: one page of an entity set in any JSON dialect (Page, Record),
//     and the bounds on a page checked before it is decoded (MaxPageRows)
//   - pager.go: Pager, the bounded page cache behind a virtualised table
//   - crawl.go: every row of a query, pages in flight in order
//   - export.go: ExportCSV, a query streamed to a spreadsheet
//   - format.go: values, dates and column titles for people to read
//
// make bench's figures (figures_test.go) compare the client with a bare
// net/http + encoding/json one; the README lists them.
package data
