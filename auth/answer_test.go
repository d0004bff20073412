package auth

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAnswerWaitEnds(t *testing.T) {
	for _, tt := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, ErrCancelled},
		{"timeout", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}, ErrTimeout},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			if _, err := newAnswer("s", nil).wait(ctx); !errors.Is(err, tt.want) {
				t.Fatalf("Wait: %v, want %v", err, tt.want)
			}
		})
	}
}

// TestAnswerAcceptsOne: the first response with the attempt's state wins,
// a refusal from the tenant included; a foreign state or a second answer
// is ignored and reported, never delivered.
func TestAnswerAcceptsOne(t *testing.T) {
	tests := []struct {
		name     string
		queries  []string
		wantErrs []error // per offer; errAny: some other (the tenant's) error
		wantCode string
		wantWait error
		want     string // traced callbacks as matched/accepted
	}{
		{"code", []string{"code=c1&state=S"}, []error{nil}, "c1", nil, "yes/yes"},
		{"forged then real", []string{"code=evil&state=X", "code=c1&state=S"}, []error{ErrStateMismatch, nil}, "c1", nil, "no/no,yes/yes"},
		{"second answer ignored", []string{"code=c1&state=S", "code=c2&state=S", "code=c3&state=X"}, []error{nil, ErrAlreadyReceived, ErrAlreadyReceived}, "c1", nil, "yes/yes,yes/no,no/no"},
		{"refusal ends it", []string{"error=access_denied&state=S", "code=c1&state=S"}, []error{errAny, ErrAlreadyReceived}, "", errAny, "yes/yes,yes/no"},
		{"no code", []string{"state=S"}, []error{ErrMissingCode}, "", ErrMissingCode, "yes/yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &hookRecorder{}
			a := newAnswer("S", rec.hooks())
			for i, raw := range tt.queries {
				q, _ := url.ParseQuery(raw)
				if err := a.offer("test", q); !sameErr(err, tt.wantErrs[i]) {
					t.Errorf("offer(%s) = %v, want %v", raw, err, tt.wantErrs[i])
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			code, err := a.wait(ctx)
			if code != tt.wantCode || !sameErr(err, tt.wantWait) {
				t.Errorf("wait = %q, %v; want %q, %v", code, err, tt.wantCode, tt.wantWait)
			}
			_, callbacks, _ := rec.seen()
			var got []string
			for _, c := range callbacks {
				got = append(got, yesNo(c.StateMatched)+"/"+yesNo(c.Accepted))
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("traced %s, want %s", strings.Join(got, ","), tt.want)
			}
		})
	}
}

// errAny stands for an error other than the sentinels, in test tables.
var errAny = errors.New("any other error")

func sameErr(got, want error) bool {
	if want == errAny {
		return got != nil && !errors.Is(got, ErrStateMismatch) && !errors.Is(got, ErrAlreadyReceived)
	}
	return errors.Is(got, want)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
