#!/usr/bin/env bash
# Smoke test of a built app-image, as a user without a display, a JDK or a network would run it:
#   packaging/check-app-image.sh [target/dist/saliency-studio]
# Runs --version, models and one prediction from the installed launcher with an empty HOME and no DISPLAY, and fails
# unless the output names the project version and both default models, and nothing was unpacked into HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-target/dist/saliency-studio}
launcher="$image/bin/saliency-studio"
version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
# Java takes user.home from the password database, not HOME: point both at the empty folder.
run() { env -u DISPLAY -u WAYLAND_DISPLAY HOME="$home" XDG_DATA_HOME= JAVA_TOOL_OPTIONS="-Duser.home=$home" \
  "$launcher" "$@"; }
fail() { echo "app-image check FAILED: $*" >&2; exit 1; }

[ -x "$launcher" ] || fail "no launcher at $launcher (build it with mvn -B -Pdist -DskipTests package)"
out=$(run --version) || fail "--version exited with $?"
grep -q "Saliency Studio $version" <<<"$out" || fail "--version printed '$out', expected version $version"
out=$(run --help) || fail "--help exited with $?"
grep -q "Usage: saliency-studio" <<<"$out" || fail "--help printed no usage: $out"
out=$(run models) || fail "models exited with $?"
for id in fashion-mnist shapes; do
  grep -q "^$id .* bundled$" <<<"$out" || fail "models does not list the bundled model $id: $out"
done
sample=$(ls assets/samples/shapes/*.png | head -1)
out=$(run predict --model shapes "$sample") || fail "predict exited with $?"
grep -q "%" <<<"$out" || fail "predict printed no probabilities: $out"
# The start-up archive (packaging/cds/dump-archive.sh) must exist and map: -Xshare:on refuses to start otherwise.
[ -s "$image/lib/app/saliency-studio.jsa" ] || fail "no class-data archive at $image/lib/app/saliency-studio.jsa"
out=$(env -u DISPLAY HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home -Xshare:on" "$launcher" --version 2>&1) \
  || fail "the class-data archive does not map (-Xshare:on): $out"
# libtorch must come from the image (PYTORCH_LIBRARY_PATH), never be unpacked or downloaded into HOME.
[ ! -e "$home/.djl.ai" ] || fail "the app wrote $home/.djl.ai: libtorch was not found inside the image"
echo "app-image check passed: $launcher ($version; --version, --help, models, predict, class-data archive maps; nothing unpacked into HOME)"
