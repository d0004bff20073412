#!/usr/bin/env bash
# Makes DIR/go.work, a Go workspace of this module with Fyne's run loop
# patched (README.md here): a copy of the Fyne module from the module cache,
# DIR/fyne-VERSION-patched, with _patched/loop.go for its
# internal/driver/glfw/loop.go, and a replace of Fyne by that copy. The
# Makefile sets GOWORK to it for every go command it runs. A go command run
# without make builds with Fyne as released.
#
# Fails, saying what to do, when go.mod asks for another Fyne or the
# module's loop.go is not the file the patch was made from. Does nothing
# when DIR already holds this patch of this file. GO names the go command
# (the Makefile's $(GO)); DIR is relative to the current folder.
#   third_party/fyne/workspace.sh DIR
set -euo pipefail
dir=${1:?usage: workspace.sh DIR}
go=${GO:-go}
here=$(cd "$(dirname "$0")" && pwd)
patched=$here/_patched/loop.go
version=v2.7.1
original_sha256=d15914b9536c96cfdb7627b6b78b7ca3ad31b56428b2061f8421e93bbe859e45

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi # macOS
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$here/../.."
root=$(pwd)
# The module, not a workspace: GOWORK may already name the file made here,
# and a GOFLAGS of the user's (-mod=mod) is no workspace's.
export GOWORK=off
got=$("$go" list -m -f '{{.Version}}' fyne.io/fyne/v2)
if [ "$got" != "$version" ]; then
  echo "!! go.mod asks for Fyne $got; third_party/fyne/_patched/loop.go patches $version's run loop." >&2
  echo "   Port the patch to $got's internal/driver/glfw/loop.go, or drop it if $got no longer makes" >&2
  echo "   a fyne.Do wait behind frames (third_party/fyne/README.md), then update workspace.sh." >&2
  exit 1
fi
"$go" mod download fyne.io/fyne/v2
module=$("$go" list -m -f '{{.Dir}}' fyne.io/fyne/v2)
if [ "$(sha256 "$module/internal/driver/glfw/loop.go")" != "$original_sha256" ]; then
  echo "!! $module/internal/driver/glfw/loop.go is not the file the patch was made from" >&2
  exit 1
fi

copy=fyne-$version-patched
stamp="$original_sha256 $(sha256 "$patched")"
current() {
  [ "$(cat "$dir/$copy/.patched" 2>/dev/null)" = "$stamp" ] &&
    [ "$(sha256 "$dir/$copy/internal/driver/glfw/loop.go")" = "$(sha256 "$patched")" ]
}
if ! current; then
  # One copy at a time: two make commands started at once (make test's
  # own steps find it made) would each remove the other's.
  lock=$dir/.$copy.lock
  for _ in $(seq 600); do
    mkdir "$lock" 2>/dev/null && break
    # A lock left by a copy that was killed: older than ten minutes.
    if [ -n "$(find "$lock" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then rm -rf "$lock"; fi
    sleep 0.5
  done
  [ -d "$lock" ] || { echo "!! $lock: another copy of Fyne has not finished in 5 minutes" >&2; exit 1; }
  trap 'rm -rf "$lock"' EXIT
  if ! current; then
    tmp=$(mktemp -d "$dir/.$copy.XXXXXX")
    cp -R "$module/." "$tmp/"
    chmod -R u+w "$tmp" # the module cache is read-only
    cp "$patched" "$tmp/internal/driver/glfw/loop.go"
    printf '%s\n' "$stamp" > "$tmp/.patched"
    # A copy cut short, or an older patch's, may be read-only in part.
    chmod -R u+w "$dir/$copy" 2>/dev/null || true
    rm -rf "${dir:?}/$copy"
    mv "$tmp" "$dir/$copy"
  fi
fi
# Copies cut short before they were moved into place (read-only in part).
for old in "$dir/.$copy".??????; do
  [ -d "$old" ] || continue
  [ -n "$(find "$old" -maxdepth 0 -mmin +10 2>/dev/null)" ] || continue
  chmod -R u+w "$old" 2>/dev/null || true
  rm -rf "$old"
done

# Relative paths: the binary's build information names the replacement as
# written here, and no builder's home folder belongs in it. Paths as they
# are, symbolic links not followed, as go resolves them.
godirective=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
rel=$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$root" "$dir" 2>/dev/null ||
  realpath -s --relative-to="$dir" "$root")
work="go $godirective

use $rel

replace fyne.io/fyne/v2 $version => ./$copy"
if [ "$(cat "$dir/go.work" 2>/dev/null)" != "$work" ]; then
  printf '%s\n' "$work" > "$dir/go.work"
fi
