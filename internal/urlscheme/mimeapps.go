package urlscheme

import (
	"bufio"
	"bytes"
	"strings"
)

// defaultHandler reads key from the [Default Applications] group.
func defaultHandler(list []byte, key string) string {
	return handlerIn(list, "[Default Applications]", key)
}

// handlerIn reads the first .desktop file named for key in group.
func handlerIn(list []byte, want, key string) string {
	group := ""
	sc := bufio.NewScanner(bytes.NewReader(list))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && group == want && strings.TrimSpace(k) == key {
			first, _, _ := strings.Cut(strings.TrimSpace(v), ";")
			return first
		}
	}
	return ""
}

// setDefaultHandler sets key in [Default Applications], keeping every
// other line as it was.
func setDefaultHandler(list []byte, key, value string) []byte {
	var out []string
	group, done, sawGroup := "", false, false
	lines := strings.Split(strings.TrimRight(string(list), "\n"), "\n")
	if len(list) == 0 {
		lines = nil
	}
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			if group == "[Default Applications]" && !done {
				out = insertBeforeBlanks(out, key+"="+value)
				done = true
			}
			group = trimmed
			sawGroup = sawGroup || group == "[Default Applications]"
		} else if k, _, ok := strings.Cut(trimmed, "="); ok && group == "[Default Applications]" && strings.TrimSpace(k) == key {
			if !done {
				out = append(out, key+"="+value)
				done = true
			}
			continue
		}
		out = append(out, line)
	}
	if !done {
		if !sawGroup {
			if len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, "[Default Applications]")
		}
		out = append(out, key+"="+value)
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

// insertBeforeBlanks adds line at the end of a group's lines, before the
// blank lines that separate it from the next group.
func insertBeforeBlanks(out []string, line string) []string {
	i := len(out)
	for i > 0 && strings.TrimSpace(out[i-1]) == "" {
		i--
	}
	return append(out[:i], append([]string{line}, out[i:]...)...)
}
