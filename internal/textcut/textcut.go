// Package textcut shortens text that came from elsewhere (a server, a
// callback, another process) before it is shown, logged or recorded, so
// that no size of input makes an error, a log line or a trace grow with it.
package textcut

import "unicode/utf8"

// Cut returns s when it is at most n bytes long, and otherwise its longest
// prefix of at most n bytes that ends between two characters, followed by
// mark (such as "…"). A character is never split, so the result stays valid
// UTF-8 when s is.
func Cut(s string, n int, mark string) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + mark
}
