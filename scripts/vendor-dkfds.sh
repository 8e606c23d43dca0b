#!/usr/bin/env bash
# Refreshes the vendored Det Fælles Designsystem (npm package dkfds) in
# crates/samspil-web/assets/dkfds/: the minified CSS and JS, the IBM Plex Sans
# woff2 fonts, the icons the CSS refers to, and the licence. The files are
# committed, so building samspil needs no npm; run this to upgrade.
set -euo pipefail
version="${1:-11.2.0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/crates/samspil-web/assets/dkfds"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "dkfds@$version" >/dev/null && tar xzf "dkfds-$version.tgz")
dist="$work/package/dist"

rm -rf "$target"
mkdir -p "$target/css" "$target/js" "$target/fonts/IBMPlexSans/complete" "$target/img"
cp "$dist/css/dkfds.min.css" "$target/css/"
cp "$dist/js/dkfds.min.js" "$target/js/"
cp -r "$dist/fonts/IBMPlexSans/complete/woff2" "$target/fonts/IBMPlexSans/complete/"
cp "$dist/fonts/IBMPlexSans/complete/woff2/../../split/woff/license.txt" "$target/fonts/IBMPlexSans/LICENSE.txt" 2>/dev/null || true
cp -r "$dist/img/svg-icons" "$target/img/"
cp "$dist/img/all-svg-icons.svg" "$target/img/"
cp "$work/package/LICENSE.md" "$target/LICENSE.md"
# The source maps are not shipped; drop the reference so browsers do not ask.
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$target/css/dkfds.min.css"
sed -i 's|//# sourceMappingURL=.*$||' "$target/js/dkfds.min.js"
echo "dkfds $version vendored into $target ($(du -sh "$target" | cut -f1))"
