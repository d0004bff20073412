// Package e2e holds the end-to-end tests: the app binary in a real window
// under Xvfb, signing in against the sandbox tenant through a fake or a
// real (Chromium) browser, with its secrets in a real Secret Service, plus
// the installers built by make. They run inside desktop-session.sh, which
// starts a private D-Bus with an unlocked gnome-keyring and an Xvfb
// display; with CEZANNE_E2E=1 they fail instead of skipping when any of
// that is missing. The files:
//
//   - harness_test.go, logwatch_test.go, x11_test.go, rss_test.go: starting
//     the app and the sandbox, reading their logs, driving and
//     photographing the window, reading memory from /proc;
//   - app_signin_test.go, flow_test.go, scheme_test.go, chromium_test.go,
//     qa_browser_test.go: signing in, x-cez links, the auto-approve matrix;
//   - people_scroll_test.go, browse_rss_test.go: the People table and its
//     memory;
//   - package_test.go: the Windows installer and the Linux archive;
//   - makerun_test.go: make run without a display leaves no process behind;
//   - locale_test.go: the window in a C locale, without Fyne's locale errors.
package e2e
