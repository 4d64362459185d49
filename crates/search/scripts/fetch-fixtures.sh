#!/usr/bin/env bash
# Fetch real Vietnamese text for hoithi-search's tests and benchmark:
# Debian's libreoffice-help-vi (MPL-2.0), unpacked into <repo>/target-fixtures/libreoffice-help-vi.
# Not committed. Tests skip with a message when it is absent.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dest="${HOITHI_FIXTURES:-$repo/target-fixtures}/libreoffice-help-vi"
if [ -d "$dest/usr/share/libreoffice/help/vi" ]; then
    echo "libreoffice-help-vi already present in $dest"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download libreoffice-help-vi >/dev/null 2>&1; then
    # The package lists may be missing on a fresh machine.
    apt-get update >/dev/null
    apt-get download libreoffice-help-vi
fi
mkdir -p "$dest.tmp"
dpkg-deb -x ./libreoffice-help-vi_*.deb "$dest.tmp"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "libreoffice-help-vi unpacked into $dest"
