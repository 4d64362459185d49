#!/usr/bin/env bash
# Fetch real Vietnamese text for hoithi-text's tests and benchmark (not committed):
#  - Debian's libreoffice-help-vi (MPL-2.0) -> <repo>/target-fixtures/libreoffice-help-vi
#    (same place and layout as crates/search/scripts/fetch-fixtures.sh; either script may run first)
#  - Debian's hunspell-vi (GPL-2, only read at test time, never embedded) -> <repo>/target-fixtures/hunspell-vi
# Set HOITHI_FIXTURES to use another root. Tests skip with a message when these are absent.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
root="${HOITHI_FIXTURES:-$repo/target-fixtures}"
mkdir -p "$root"
updated=0

fetch() { # package, marker path inside the unpacked tree
    local pkg="$1" marker="$2" dest="$root/$1"
    if [ -e "$dest/$marker" ]; then
        echo "$pkg already present in $dest"
        return
    fi
    local work
    work="$(mktemp -d)"
    if ! (cd "$work" && apt-get download "$pkg" >/dev/null 2>&1); then
        if [ "$updated" = 0 ]; then apt-get update >/dev/null; updated=1; fi
        (cd "$work" && apt-get download "$pkg")
    fi
    rm -rf "$dest.tmp"
    mkdir -p "$dest.tmp"
    dpkg-deb -x "$work"/"$pkg"_*.deb "$dest.tmp"
    rm -rf "$dest" "$work"
    mv "$dest.tmp" "$dest"
    echo "$pkg unpacked into $dest"
}

fetch libreoffice-help-vi usr/share/libreoffice/help/vi
fetch hunspell-vi usr/share/hunspell
