# Cezanne HR Desktop. Two commands set everything up:
#   make run    build and open the app (the built-in demo tenant when nothing is configured)
#   make test   every test: unit, UI, and end to end (real keyring, Xvfb, sandbox)
# On Debian/Ubuntu both install the system packages they need (as root, or via sudo).

SHELL := /bin/bash
GO    ?= go
BIN   := bin/cezanne-desktop
# fyneDo migration (see FyneApp.toml): plain `go build` ignores FyneApp.toml.
# no_emoji leaves out Fyne's 4 MB colour-emoji font, which it parses once per
# text style: 35 MB of resident memory for glyphs HR records rarely hold (an
# installed system font that has the glyph still draws one that turns up).
# no_animations keeps the text cursor steady and leaves out buttons' tap
# ripples and the tabs' sliding line: each frame of one is a frame of the
# whole window, and a focused search box faded its cursor in and out at 60
# frames a second, 12 frames a second over its blink, stalling the window
# (see the README's "A window that never stalls").
TAGS  := migrated_fynedo,no_emoji,no_animations
OUT   := test-output
# The tests compare British English formats; make run leaves the person's
# own locale to the app.
check unit test bench: export LANG := en_GB.UTF-8
# The race detector sleeps a second as each test binary exits (GORACE's
# atexit_sleep_ms), for the reports of goroutines still running. make test
# starts some 60 test processes, one per end-to-end test: a minute of its
# sessions spent asleep. A race is reported when it happens all the same,
# and fails its test.
check unit test: export GORACE := atexit_sleep_ms=0 $(GORACE)
# Fyne with one patch to its run loop, so that a fyne.Do waits for at most
# one frame, not several (third_party/fyne/README.md): the go commands make
# runs build in the workspace $(WORKSPACE), in which a patched copy of the
# Fyne module replaces the released one. A go command run without make
# builds with Fyne as released.
WORKSPACE := $(CURDIR)/bin/go.work
build vet staticcheck check unit test bench soak package-windows package-macos: export GOWORK := $(WORKSPACE)

# Debian packages: Fyne's cgo build (GLFW), then what the end-to-end tests run.
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev xorg-dev
# make run on a machine without a display: a virtual one, a D-Bus session
# with a keyring, and a way to take a screenshot.
RUN_PKGS   := xvfb dbus gnome-keyring imagemagick
# chromium plays the person in the browser for the QA matrix (driven over
# the DevTools protocol by chromedp); x11-apps has xwd, the tests' quick
# grab of the display (waiting for it to come to rest).
TEST_PKGS  := $(RUN_PKGS) xauth dbus-x11 x11-utils x11-apps xdotool chromium
# Fonts for names in every script (e2e/fonts_test.go): the app's own font has
# Latin, Greek and Cyrillic only, and Fyne draws any other glyph from a
# system font that has it. Chinese, Japanese, Korean (91 MB installed);
# Devanagari, Thai, Tamil and most other scripts (42 MB); DejaVu Sans (3 MB)
# for Arabic and Hebrew in a plain style: without it Fyne takes the first
# Noto font it finds with the glyph, Noto Kufi Arabic and Noto Rashi Hebrew.
FONT_PKGS  := fonts-noto-cjk fonts-noto-core fonts-dejavu-core
TEST_PKGS  += $(FONT_PKGS)
# The desktop's own Save and Open dialogs (internal/filechooser), as a GNOME
# desktop has them: the portal and its GTK backend, which the tests' bus
# starts when the app asks (e2e/file_dialog_test.go).
TEST_PKGS  += xdg-desktop-portal xdg-desktop-portal-gtk

# Packaging: FyneApp.toml holds the version; make package-* read it here.
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
BUILDNO := $(shell sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
SPACE   := $(subst ,, )
VPARTS  := $(subst .,$(SPACE),$(VERSION))
WIN     := dist/windows
LINUX   := dist/linux/cezanne-desktop-$(VERSION)
SETUP   := dist/CezanneHRDesktop-Setup-$(VERSION).exe
TARBALL := dist/cezanne-desktop-$(VERSION)-linux-amd64.tar.xz
PACKAGE_PKGS := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis p7zip-full desktop-file-utils xz-utils file imagemagick
# The Windows test runs the installer and the app under Wine: Debian's
# 64-bit-only wine64 (no i386 architecture needed: installer and app are
# both 64-bit), on the test's Xvfb display.
WINE_PKGS := wine64

# Linters, pinned: go run fetches them through the Go module proxy, so a
# fresh machine needs nothing else.
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOCYCLO     := $(GO) run github.com/fzipp/gocyclo/cmd/gocyclo@v0.6.0
# Every package but e2e, whose tests need the desktop session.
UNIT_TEST = $(GO) test -race -count=1 -tags ci,$(TAGS) $$($(GO) list -tags ci,$(TAGS) ./... | grep -v '/e2e$$')
# make test runs the UI tests, the longest package (about 95 s of CPU with
# -race), as a step of their own: in one go test run with the rest they
# started last, in package order, and ended make test alone.
UNIT_TEST_NOT_UI = $(GO) test -race -count=1 -timeout 30m -tags ci,$(TAGS) $$($(GO) list -tags ci,$(TAGS) ./... | grep -v -e '/e2e$$' -e '/ui$$')

.PHONY: all run build fyne-workspace check test unit e2e vet staticcheck cyclo bench soak deps deps-build deps-run deps-test deps-test-tools deps-package deps-odata deps-odata-tools odata-modules ensure-node-pkgs clean help \
	package-windows package-linux package-macos packages sign-windows

all: build

help:
	@echo "make run     build and open the app"
	@echo "make test    run every test (installs what it needs on Debian/Ubuntu)"
	@echo "make check   gofmt, vet and unit tests: the fast inner loop (no sudo, no packaging)"
	@echo "make vet     gofmt, go vet, staticcheck and the complexity check (.gocyclo-exceptions)"
	@echo "make unit    unit and UI tests (every package but e2e)"
	@echo "make build   build $(BIN)"
	@echo "make bench   print every figure of the issues with its budget, then what missed (exit 1 only then)"
	@echo "make soak    the app for 10 minutes against a misbehaving tenant (SOAK_DURATION=10m)"
	@echo "make package-windows  Windows installer ($(SETUP)), cross-compiled here"
	@echo "make package-linux    Linux archive ($(TARBALL))"
	@echo "make package-macos    macOS .dmg (on a Mac)"
	@echo "make clean   remove build and test output"

# ensure_pkgs installs the missing Debian packages named in $(1), or says
# exactly what to install on other systems.
define ensure_pkgs
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    sudo=""; [ "$$(id -u)" -ne 0 ] && sudo="sudo"; \
	    echo ">> installing Debian packages:$$missing"; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
	    { echo "!! could not install:$$missing — install them with: sudo apt-get install$$missing"; exit 1; }; \
	  fi; \
	else \
	  case "$$(uname -s)" in \
	    Darwin) command -v cc >/dev/null || { echo "!! install the Xcode command line tools: xcode-select --install"; exit 1; } ;; \
	    Linux) echo ">> not Debian/Ubuntu: make sure these are installed (Debian names): $(1)"; \
	           echo "   Fedora: sudo dnf install gcc libXcursor-devel libXrandr-devel mesa-libGL-devel libXi-devel libXinerama-devel libXxf86vm-devel xorg-x11-server-Xvfb dbus-daemon gnome-keyring ImageMagick xwd chromium"; \
	           echo "   Arch:   sudo pacman -S gcc libxcursor libxrandr libxinerama libxi mesa xorg-server-xvfb dbus gnome-keyring imagemagick xorg-xwd chromium" ;; \
	    *) echo ">> on Windows use MSYS2/MinGW-w64 gcc (pacman -S mingw-w64-x86_64-gcc); see the README" ;; \
	  esac; \
	fi
endef

# require_go stops, saying where to get it, where there is no Go.
require_go = @command -v $(GO) >/dev/null || { echo "!! Go is not installed: get Go 1.26 or newer from https://go.dev/dl/"; exit 1; }

deps-build:
	$(require_go)
	$(call ensure_pkgs,$(BUILD_PKGS))

# The workspace with Fyne's run loop patched (WORKSPACE, above). Takes a
# moment once (a copy of the module); after that, nothing.
fyne-workspace:
	$(require_go)
	@GO=$(GO) third_party/fyne/workspace.sh $(dir $(WORKSPACE))

# What make run needs to open the app where there is no display.
deps-run:
	$(call ensure_pkgs,$(RUN_PKGS))

deps-test: deps-test-tools odata-modules

# Everything make test needs but the npm modules, which its runner installs
# beside the build and vet (odata-modules, below).
deps-test-tools: deps-build
	$(call ensure_pkgs,$(TEST_PKGS) $(PACKAGE_PKGS) $(WINE_PKGS))
	@$(MAKE) --no-print-directory deps-odata-tools

# The independent OData server the tests run against (internal/odatatest):
# SAP CAP and its OData v2 adapter from the npm registry, as
# package-lock.json pins them. npm ci runs only when node_modules is missing
# or older than the lock (npm writes node_modules/.package-lock.json last).
# better-sqlite3 compiles from source where no prebuilt binary downloads,
# hence the C++ compiler. @sap/cds 9 needs Node.js 20 or newer; Debian 12's
# own nodejs is 18.
CAP_DIR      := internal/odatatest/testdata/cap
ODATA_PKGS   := g++ make python3
deps-odata: odata-modules

deps-odata-tools:
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  $(MAKE) --no-print-directory ensure-node-pkgs; fi
	$(call ensure_pkgs,$(ODATA_PKGS))
	@v=$$(node -p 'process.versions.node.split(".")[0]'); [ "$$v" -ge 20 ] || { \
	  echo "!! Node.js $$(node --version) is too old for SAP CAP: install Node.js 20 or newer (https://nodejs.org, or NodeSource's Debian packages)"; exit 1; }

odata-modules: deps-odata-tools
	@if [ ! -f $(CAP_DIR)/node_modules/.package-lock.json ] || \
	    [ $(CAP_DIR)/package-lock.json -nt $(CAP_DIR)/node_modules/.package-lock.json ]; then \
	  echo ">> installing the independent OData server (npm ci in $(CAP_DIR))"; \
	  cd $(CAP_DIR) && npm ci --no-audit --no-fund --loglevel=error; \
	fi

ensure-node-pkgs:
	$(call ensure_pkgs,nodejs npm)

deps-package: deps-build
	$(call ensure_pkgs,$(PACKAGE_PKGS))

deps: deps-test deps-package

build: fyne-workspace deps-build
	$(GO) build -tags $(TAGS) -trimpath -o $(BIN) .

# Opens the app. On a machine without a display it runs in a throwaway
# desktop session (Xvfb on :77 when free, D-Bus, a keyring) that ends with
# the app, and says how to look at it.
run: build
	@if [ "$$(uname -s)" = Linux ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(MAKE) --no-print-directory deps-run >/dev/null; \
	  echo ">> There is no display here, so the app opens on a virtual one. Ctrl+C closes both."; \
	  exec e2e/desktop-session.sh --display 77 --screen 1280x800x24 ./$(BIN); \
	else \
	  exec ./$(BIN); \
	fi

# gofmt, go vet, staticcheck, and no function over cyclomatic complexity 15
# but those .gocyclo-exceptions lists (.ci/cyclo).
vet: fyne-workspace staticcheck cyclo
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -path ./bin -prune -o -name '*.go' -print)); \
	  [ -z "$$unformatted" ] || { echo "!! gofmt needed:"; echo "$$unformatted"; exit 1; }
	$(GO) vet -tags ci,$(TAGS) ./...
	@# The Windows registry and macOS bundle code cannot run here; it must still compile.
	GOOS=windows CGO_ENABLED=0 $(GO) vet ./auth/ ./internal/...
	GOOS=darwin CGO_ENABLED=0 $(GO) vet ./auth/ ./internal/...

staticcheck: fyne-workspace
	$(STATICCHECK) -tags ci,$(TAGS) ./...

# After the workspace: gocyclo walks the folder, bin/ too (it skips it, but
# a copy of Fyne moving into place under it would end its walk early).
cyclo: fyne-workspace
	GOCYCLO="$(GOCYCLO)" .ci/cyclo

# The fast inner loop: gofmt and the vet checks, then the unit and UI tests.
# Installs nothing but Go modules, builds no packages, needs no desktop.
check: vet
	$(UNIT_TEST)

# Every test: unit, UI and end to end, in desktop sessions (D-Bus, unlocked
# gnome-keyring, Xvfb) of their own. CEZANNE_E2E=1 makes the end-to-end
# tests fail rather than skip if any of that is missing. The runner
# (internal/testrun) starts each step as soon as the steps it needs have
# passed: vet, the packages and the unit tests (with -race; the UI
# package's as steps of their own, below) run beside the end-to-end tests, which
# run one process each, E2E_SESSIONS at once, each in a desktop session of
# its own, longest first (the 2-minute soak, the Windows test under Wine)
# by the durations measured in earlier runs ($(OUT)/test-durations, else
# .ci/test-durations). The tests that need the packages start with the
# rest and wait for them (CEZANNE_PACKAGES_DONE). The CAP server's npm
# modules (odata-modules: minutes from a fresh clone, nothing after)
# install beside build, vet and the packages. Every job's output is in
# $(OUT)/logs/.
E2E_SESSIONS ?= 4
# The UI package's tests run one after another in one process (Fyne's test
# app is global), about 90 s of CPU with -race: in one step they ended make
# test alone on one core, for three minutes in a fresh clone beside two CPU
# hogs. So: two processes of about half each. They wait for npm (the CAP
# server's modules, which one of their tests needs) as the other unit tests
# and the end-to-end tests do: started beside npm in a fresh clone, they and
# everything else slowed npm's compile to 14 minutes, and the whole run with
# it. go test's own 10-minute limit is too short on such a machine. The
# other unit tests also wait for the build: some run the built app
# (CEZANNE_BIN), and on a machine whose Go cache is empty the build (GLFW's
# C) ends after they start.
UI_TEST  = e2e/desktop-session.sh $(GO) test -race -count=1 -timeout 30m -tags ci,$(TAGS) ./ui/
UI_SHARD = ^Test(People|Signed|Session|Every)
test: fyne-workspace deps-test-tools
	@mkdir -p $(OUT)
	@CEZANNE_E2E=1 CEZANNE_BIN=$(CURDIR)/$(BIN) CEZANNE_TEST_OUTPUT=$(CURDIR)/$(OUT) \
	  CEZANNE_SETUP=$(CURDIR)/$(SETUP) CEZANNE_TARBALL=$(CURDIR)/$(TARBALL) CEZANNE_VERSION=$(VERSION) \
	  $(GO) run ./internal/testrun/maketest -logs $(OUT)/logs -sessions $(E2E_SESSIONS) \
	  -durations .ci/test-durations,$(OUT)/test-durations \
	  -step 'build: $(MAKE) --no-print-directory build' \
	  -step 'vet: $(MAKE) --no-print-directory vet' \
	  -step 'packages < build: $(MAKE) --no-print-directory packages' \
	  -step 'odata-modules: $(MAKE) --no-print-directory odata-modules' \
	  -step 'unit-ui-people < odata-modules: $(UI_TEST) -run "$(UI_SHARD)"' \
	  -step 'unit-ui-rest < odata-modules: $(UI_TEST) -skip "$(UI_SHARD)"' \
	  -step 'unit < odata-modules,build: e2e/desktop-session.sh $(UNIT_TEST_NOT_UI)' \
	  -step 'e2e-compile: $(GO) test -c -race -tags ci,$(TAGS) -o $(OUT)/e2e.test ./e2e/' \
	  -e2e-binary $(OUT)/e2e.test -e2e-dir e2e -e2e-needs build,e2e-compile,odata-modules \
	  -e2e-barrier CEZANNE_PACKAGES_DONE=packages
	@echo ">> screenshots and app logs: $(OUT)/"

# Unit and UI tests only: no desktop services needed.
unit: fyne-workspace deps-build
	$(UNIT_TEST)

# The figures the issues track, each on a line
#   figure <name> <value> runs=<n> [budget<=<limit> ok|MISSED]
# (internal/figures), from a 50,000-person sandbox in its own process,
# against a baseline measured in the same run: a bare net/http +
# encoding/json client for the data figures, an empty one-label Fyne window
# (e2e/testdata/emptywindow) for the window figures; each the median of
# runs that alternate between the two. Memory figures run in processes of
# their own, as they read a process's peak RSS. benchrun runs every step
# whatever the ones before ended with, shows every figure, and ends with one
# line of what missed; it exits 1 only then (the log has everything).
# CEZANNE_FIGURE_RUNS=N makes every figure the median of N runs (a quick
# look at the machinery; the figures' own run counts are the measurement).
BENCH_FIGURES := first_page_ratio crawl_ratio crawl_concurrent_ratio scroll_pages_fetched \
	browse_rss_over_empty_window_mb start_ratio resume_to_people_over_start_ms \
	idle_cpu_over_empty_window_pct ui_max_stall_ms export_rss_mb
FIGURES = env CEZANNE_FIGURES=1 CEZANNE_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 60m -tags ci,$(TAGS) -v
DESKTOP = CEZANNE_E2E=1 CEZANNE_TEST_OUTPUT=$(CURDIR)/$(OUT) e2e/desktop-session.sh
bench: deps-test build
	@mkdir -p $(OUT)
	@$(GO) run ./internal/figures/benchrun -log $(OUT)-bench.log -expect "$(BENCH_FIGURES)" \
	  ratios      "$(FIGURES) -run '^TestFigureRatios$$' ./data/" \
	  scroll      "$(FIGURES) -run '^TestFigureScroll$$' ./ui/" \
	  browse-rss  "$(DESKTOP) $(FIGURES) -run '^TestFigureBrowseRSS$$' ./e2e/" \
	  start       "$(DESKTOP) $(FIGURES) -run '^TestFigureStart$$' ./e2e/" \
	  ui-stall    "$(DESKTOP) $(FIGURES) -run '^TestFigureUIMaxStall$$' ./e2e/" \
	  memory-breakdown "$(DESKTOP) $(FIGURES) -run '^TestFigureMemoryBreakdown$$' ./e2e/" \
	  export-rss  "$(FIGURES) -run '^TestFigureExportRSS$$' ./data/" \
	  micro-benchmarks "$(GO) test -run '^$$' -bench . -benchmem -tags ci,$(TAGS) ./data/ ./sandbox/"

# The soak (e2e/soak_test.go): the real app in a window for SOAK_DURATION,
# signed in to a sandbox tenant in its own process with 3-second tokens
# and rotation, browsing and searching on a timer while the tenant fails
# calls, stalls, answers garbage and restarts, and the keyring daemon is
# killed and started again. Prints its figures (lost sessions, refresh
# token reuse, RSS and goroutine growth, UI stalls) and fails on any over
# budget. make test runs the same test for 2 minutes, which holds all but
# the memory and stall budgets (those start at minute 2). The whole log, with
# the app's, is $(OUT)-soak.log; the timeline and pictures are in $(OUT)/soak/.
SOAK_DURATION ?= 10m
soak: deps-build build
	$(call ensure_pkgs,$(TEST_PKGS))
	@mkdir -p $(OUT)
	@set -o pipefail; CEZANNE_E2E=1 CEZANNE_BIN=$(CURDIR)/$(BIN) CEZANNE_TEST_OUTPUT=$(CURDIR)/$(OUT) \
	  CEZANNE_SOAK_DURATION=$(SOAK_DURATION) e2e/desktop-session.sh \
	  $(GO) test -count=1 -timeout 60m -tags ci,$(TAGS) -run '^TestSoak$$' -v ./e2e/ \
	  | tee $(OUT)-soak.log | grep --line-buffered -aE '^(figure |--- |FAIL|ok |    soak_test.go:[0-9]+: +[0-9.]+s )'

# Windows: a GUI-subsystem .exe cross-compiled with MinGW, with icon,
# version information and manifest linked in from a .syso, then a per-user
# NSIS installer. Signed with osslsigncode when WINDOWS_SIGN_PFX (a .pfx
# file) and WINDOWS_SIGN_PASSWORD are set (WINDOWS_SIGN_TIMESTAMP_URL adds a
# timestamp). The .syso is linked from a copy of the source in a temporary
# folder outside this one, never put in the source folder: there, for the
# seconds of the build, every other go command and vet's tree walk see it
# (make test runs vet beside the packages, and vet once failed on the file,
# gone by the time it opened it). -trimpath keeps the build cache's entries
# the same for the copy, which builds in a workspace of its own (the
# patched Fyne beside it, as make build's).
package-windows: fyne-workspace deps-package
	@mkdir -p $(WIN)
	convert assets/icon.png -define icon:auto-resize=256,128,64,48,32,16 $(WIN)/icon.ico
	sed -e 's/@VERSION@/$(VERSION)/g' -e 's/@BUILD@/$(BUILDNO)/g' -e 's/@MAJOR@/$(word 1,$(VPARTS))/' \
	    -e 's/@MINOR@/$(word 2,$(VPARTS))/' -e 's/@PATCH@/$(word 3,$(VPARTS))/' \
	    assets/packaging/windows/cezanne-desktop.rc.in > $(WIN)/cezanne-desktop.rc
	cp assets/packaging/windows/cezanne-desktop.manifest $(WIN)/
	set -o pipefail; src=$$(mktemp -d); trap 'rm -rf "$$src"' EXIT; \
	tar -cf - --exclude=./.git --exclude=./dist --exclude=./bin --exclude='./$(OUT)*' --exclude=node_modules --exclude='*.syso' . | tar -C $$src -xf - && \
	(cd $(WIN) && x86_64-w64-mingw32-windres -O coff -i cezanne-desktop.rc -o $$src/rsrc_windows_amd64.syso) && \
	cd $$src && GO=$(GO) third_party/fyne/workspace.sh bin && \
	GOWORK=$$src/bin/go.work CC=x86_64-w64-mingw32-gcc GOOS=windows GOARCH=amd64 CGO_ENABLED=1 $(GO) build -tags $(TAGS) -trimpath \
	    -ldflags "-H windowsgui -s -w" -o $(CURDIR)/$(WIN)/cezanne-desktop.exe .
	$(call sign_windows,$(WIN)/cezanne-desktop.exe)
	@# -V4 lists every compiled instruction; the package check reads it.
	@inputs=$$(cd $(WIN) && { echo "$(VERSION) $(BUILDNO)"; makensis -VERSION; sha256sum cezanne-desktop.exe icon.ico cezanne-desktop.manifest \
	    cezanne-desktop.rc $(CURDIR)/assets/packaging/windows/installer.nsi; }); \
	if [ -z "$$WINDOWS_SIGN_PFX" ] && $(call kept,$(SETUP),setup,$(WIN)/makensis.log); then \
	  echo ">> $(SETUP) kept: made from these same inputs"; \
	else \
	  rm -f $(STAMPS)/setup; \
	  echo "makensis -V4 -DVERSION=$(VERSION) -DBUILD=$(BUILDNO) -DSRC=$(CURDIR)/$(WIN) -DOUTFILE=$(CURDIR)/$(SETUP) assets/packaging/windows/installer.nsi"; \
	  makensis -V4 -DVERSION=$(VERSION) -DBUILD=$(BUILDNO) -DSRC=$(CURDIR)/$(WIN) -DOUTFILE=$(CURDIR)/$(SETUP) \
	    assets/packaging/windows/installer.nsi > $(WIN)/makensis.log || { tail -20 $(WIN)/makensis.log; exit 1; }; \
	  [ -n "$$WINDOWS_SIGN_PFX" ] || $(call stamp,setup); \
	fi
	$(call sign_windows,$(SETUP))
	@echo ">> $(SETUP)"

# Compressing (NSIS's solid LZMA, xz) is most of make packages' time: 40 s
# of CPU on every make test, for packages that rarely change. A package is
# kept when every input it is made from is byte for byte what it was last
# made from (the sha256 sums in $(STAMPS), written once it is made); any
# change or a missing file makes it again, and so does signing (it changes
# the installer after makensis). The shell variable
# inputs holds the recipe's sums.
STAMPS := dist/.inputs
# kept: $(1) and the files in $(3) exist, and $(STAMPS)/$(2) holds $$inputs.
kept = [ -f $(1) ] && [ -f $(STAMPS)/$(2) ] $(foreach f,$(3),&& [ -f $(f) ]) && [ "$$(cat $(STAMPS)/$(2))" = "$$inputs" ]
# stamp: records $$inputs as what $(1) was made from.
stamp = { mkdir -p $(STAMPS) && printf '%s\n' "$$inputs" > $(STAMPS)/$(1); }

define sign_windows
	@if [ -n "$$WINDOWS_SIGN_PFX" ]; then \
	  ts=""; [ -n "$$WINDOWS_SIGN_TIMESTAMP_URL" ] && ts="-t $$WINDOWS_SIGN_TIMESTAMP_URL"; \
	  osslsigncode sign -pkcs12 "$$WINDOWS_SIGN_PFX" -pass "$$WINDOWS_SIGN_PASSWORD" -n "Cezanne HR Desktop" $$ts \
	    -in $(1) -out $(1).signed && mv $(1).signed $(1) && echo ">> signed $(1)"; \
	else \
	  echo ">> $(1) not signed: set WINDOWS_SIGN_PFX and WINDOWS_SIGN_PASSWORD to sign it"; \
	fi
endef

# Linux: the binary, icon, our own .desktop file (fyne package would mangle
# Exec for a URL handler) and a per-user install script, as a .tar.xz.
package-linux: build
	@rm -rf $(LINUX) && mkdir -p $(LINUX)
	cp $(BIN) $(LINUX)/cezanne-desktop
	cp assets/icon.png $(LINUX)/com.cezannehr.desktop.png
	cp assets/packaging/linux/com.cezannehr.desktop.desktop assets/packaging/linux/install.sh $(LINUX)/
	@inputs=$$(cd $(LINUX) && { echo "$(VERSION)"; xz --version | head -1; find . -type f -printf '%p %m\n' | sort; find . -type f -print0 | sort -z | xargs -0 sha256sum; }); \
	if $(call kept,$(TARBALL),tarball); then \
	  echo ">> $(TARBALL) kept: made from these same files"; \
	else \
	  rm -f $(STAMPS)/tarball; \
	  echo "tar -C $(dir $(LINUX)) -cJf $(TARBALL) $(notdir $(LINUX))"; \
	  tar -C $(dir $(LINUX)) -cJf $(TARBALL) $(notdir $(LINUX)) && $(call stamp,tarball); \
	fi
	@echo ">> $(TARBALL)"

# macOS (run on a Mac): fyne package, x-cez in Info.plist, .dmg; see the README.
package-macos: fyne-workspace
	@[ "$$(uname -s)" = Darwin ] || { echo "!! make package-macos runs on macOS (see the README, 'Building on a Mac')"; exit 1; }
	assets/packaging/macos/package.sh

# Signs one file the way package-windows does (the package check uses it
# with a throwaway certificate): make sign-windows SIGN_FILE=x.exe
sign-windows:
	$(call sign_windows,$(SIGN_FILE))

packages: package-windows package-linux

clean:
	rm -rf bin dist $(OUT)
