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
# when DIR already holds this patch of this file.
#   third_party/fyne/workspace.sh DIR
set -euo pipefail
dir=${1:?usage: workspace.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
patched=$here/_patched/loop.go
version=v2.7.1
original_sha256=d15914b9536c96cfdb7627b6b78b7ca3ad31b56428b2061f8421e93bbe859e45

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi # macOS
}

cd "$here/../.."
root=$(pwd)
# The module, not a workspace: GOWORK may already name the file made here.
export GOWORK=off
got=$(go list -m -f '{{.Version}}' fyne.io/fyne/v2)
if [ "$got" != "$version" ]; then
  echo "!! go.mod asks for Fyne $got; third_party/fyne/_patched/loop.go patches $version's run loop." >&2
  echo "   Port the patch to $got's internal/driver/glfw/loop.go, or drop it if $got no longer makes" >&2
  echo "   a fyne.Do wait behind frames (third_party/fyne/README.md), then update workspace.sh." >&2
  exit 1
fi
go mod download fyne.io/fyne/v2
module=$(go list -m -f '{{.Dir}}' fyne.io/fyne/v2)
if [ "$(sha256 "$module/internal/driver/glfw/loop.go")" != "$original_sha256" ]; then
  echo "!! $module/internal/driver/glfw/loop.go is not the file the patch was made from" >&2
  exit 1
fi

mkdir -p "$dir"
copy=fyne-$version-patched
stamp="$original_sha256 $(sha256 "$patched")"
if [ "$(cat "$dir/$copy/.patched" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "${dir:?}/$copy" "$dir/$copy.tmp"
  cp -R "$module" "$dir/$copy.tmp"
  chmod -R u+w "$dir/$copy.tmp" # the module cache is read-only
  cp "$patched" "$dir/$copy.tmp/internal/driver/glfw/loop.go"
  printf '%s\n' "$stamp" > "$dir/$copy.tmp/.patched"
  mv "$dir/$copy.tmp" "$dir/$copy"
fi

# Relative paths: the binary's build information names the replacement as
# written here, and no builder's home folder belongs in it.
godirective=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
rel=$(realpath --relative-to="$dir" "$root" 2>/dev/null || python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$root" "$dir")
work="go $godirective

use $rel

replace fyne.io/fyne/v2 $version => ./$copy"
if [ "$(cat "$dir/go.work" 2>/dev/null)" != "$work" ]; then
  printf '%s\n' "$work" > "$dir/go.work"
fi
