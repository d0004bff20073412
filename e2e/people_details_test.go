package e2e

import (
	"fmt"
	"regexp"
	"testing"
	"time"
)

// TestPeopleDetailsFollowTheSelection: in a real window, a click on a row
// and then Down show each person in Details in turn (the pane once kept
// the first field's placeholder for everyone); the screenshot shows the
// second person's details, the whole row selected.
func TestPeopleDetailsFollowTheSelection(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "people-details", 500)
	cmd, w := r.launch("people-details", "--profile", r.profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	x, _ := scrollbarX(t)
	xdo := func(args ...string) { xdo(t, args...) }
	// The middle of the first row, well inside the table.
	xdo("mousemove", fmt.Sprint(x-250), fmt.Sprint(scrollTopY+18), "click", "1")
	a := w.waitFor(t, "state=person-shown row=0", 10*time.Second)
	r.screenshot("people-details-first.png")
	toApp(t, "key", "Down")
	b := w.waitFor(t, "state=person-shown row=1", 10*time.Second)
	guid := regexp.MustCompile(`guid=(\S+)`)
	ga, gb := guid.FindStringSubmatch(a), guid.FindStringSubmatch(b)
	if ga == nil || gb == nil || ga[1] == gb[1] {
		t.Fatalf("the second person is the first one again:\n%s\n%s", a, b)
	}
	r.screenshot("people-details-second.png")
	t.Logf("first %s\nsecond %s", a, b)
	stop(cmd)
}
