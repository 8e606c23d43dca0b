#!/usr/bin/env bash
# Refreshes the vendored Det Fælles Designsystem (npm package dkfds) in
# crates/platform/samspil-web/assets/dkfds/: the minified CSS and JS, the IBM Plex Sans
# woff2 fonts the CSS uses, the icons, and the licences. The files are
# committed (and embedded in the binary), so building samspil needs no npm;
# run this to upgrade: scripts/vendor-dkfds.sh [VERSION]
set -euo pipefail
version="${1:-11.2.0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/crates/platform/samspil-web/assets/dkfds"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "dkfds@$version" >/dev/null && tar xzf "dkfds-$version.tgz")
dist="$work/package/dist"

rm -rf "$target"
mkdir -p "$target/css" "$target/js" "$target/fonts/IBMPlexSans/complete/woff2" "$target/img"
cp "$dist/css/dkfds.min.css" "$target/css/"
cp "$dist/js/dkfds.min.js" "$target/js/"
cp -r "$dist/img/svg-icons" "$target/img/"
cp "$dist/img/all-svg-icons.svg" "$target/img/"
cp "$work/package/LICENSE.md" "$target/LICENSE.md"
cp "$dist/fonts/IBMPlexSans/complete/woff2/license.txt" "$target/fonts/IBMPlexSans/LICENSE.txt"

# Only the woff2 faces: every browser samspil supports reads woff2. The CSS's
# regular face lists eot and woff before woff2 (the other faces start with
# woff2), so drop those fallbacks, which would only be 404s, from @font-face.
perl -0pi -e '
  sub woff2_only {
    my $f = shift;
    $f =~ s!url\(\.\./fonts/[^)]*/(?:eot|woff|ttf|otf)/[^)]*\)(?:\s*format\("[^"]*"\))?,?!!g;
    $f =~ s!,\s*([;\}])!$1!g;
    return $f;
  }
  s#(\@font-face\{[^\}]*\})#woff2_only($1)#ge;' "$target/css/dkfds.min.css"
# Copy just the woff2 files the CSS asks for (8 of the 16 weights).
grep -o 'url(\.\./fonts/IBMPlexSans/complete/woff2/[^)]*)' "$target/css/dkfds.min.css" \
  | sed 's|^url(\.\./fonts/IBMPlexSans/complete/woff2/||; s|)$||' | sort -u \
  | while read -r font; do cp "$dist/fonts/IBMPlexSans/complete/woff2/$font" "$target/fonts/IBMPlexSans/complete/woff2/"; done

# The source maps are not shipped; drop the reference so browsers do not ask.
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$target/css/dkfds.min.css"
sed -i 's|//# sourceMappingURL=.*$||' "$target/js/dkfds.min.js"
# Every url() in the CSS must resolve (the two logo placeholders belong to
# .logo classes samspil does not use).
missing=0
while read -r ref; do
  [ -e "$target/css/$ref" ] || { echo "unresolved url() in dkfds.min.css: $ref" >&2; missing=1; }
done < <(grep -o 'url([^)]*)' "$target/css/dkfds.min.css" | sed 's/^url(//; s/)$//; s/["'"'"']//g' \
          | grep -v '^data:' | grep -v 'logo-header-placeholder.png\|logo-placeholder.png' | sort -u)
[ "$missing" = 0 ] || exit 1
echo "dkfds $version vendored into $target ($(du -sh "$target" | cut -f1))"
