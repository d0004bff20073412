package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestParseAppFlags(t *testing.T) {
	const link = "x-cez://oauth-callback/?code=abc&state=xyz"
	tests := []struct {
		name    string
		args    []string
		want    appOptions
		wantErr error  // nil: any error when wantOut is set
		wantOut string // on the output; "" means nothing written
	}{
		{name: "a launch from the menu", args: nil, want: appOptions{}},
		{name: "every flag", args: []string{"--profile", "p.json", "--sign-in", "--session-only", "--trace-out", "t.md"},
			want: appOptions{profilePath: "p.json", signIn: true, sessionOnly: true, traceOut: "t.md"}},
		{name: "the OS passes a link", args: []string{link}, want: appOptions{link: link}},
		{name: "flags before the link", args: []string{"-session-only", link}, want: appOptions{sessionOnly: true, link: link}},
		{name: "register a scheme", args: []string{"--register-scheme", "x-cez"}, want: appOptions{registerScheme: "x-cez"}},
		{name: "registering ignores the rest", args: []string{"--register-scheme", "x-cez", "anything"}, want: appOptions{registerScheme: "x-cez"}},
		{name: "help", args: []string{"--help"}, wantErr: flag.ErrHelp, wantOut: "Usage: cezanne-desktop [--profile FILE]"},
		{name: "help lists the flags", args: []string{"-h"}, wantErr: flag.ErrHelp, wantOut: "keep the sign-in in memory only"},
		{name: "unknown flag", args: []string{"--bogus"}, wantOut: "flag provided but not defined: -bogus"},
		{name: "a flag without its value", args: []string{"--trace-out"}, wantOut: "flag needs an argument: -trace-out"},
		{name: "a web link is not a sign-in link", args: []string{"https://example.com/?code=a"}, wantOut: "is not a sign-in link"},
		{name: "a word is not a link", args: []string{"bogus"}, wantOut: `"bogus" is not a sign-in link`},
		{name: "two links", args: []string{link, link}, wantOut: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := parseAppFlags(tt.args, &out)
			if tt.wantOut == "" {
				if err != nil || got != tt.want || out.Len() > 0 {
					t.Fatalf("got %+v, %v, output %q; want %+v", got, err, out.String(), tt.want)
				}
				return
			}
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("output %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}
