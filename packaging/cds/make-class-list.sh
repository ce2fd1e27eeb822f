#!/usr/bin/env bash
# Regenerates packaging/cds/classes.lst, the classes the app loads from start to its first explanation on screen,
# from which the dist build dumps a class-data-sharing archive (packaging/cds/dump-archive.sh). Run it after
# changes to start-up code: mvn -q -o package -DskipTests && packaging/cds/make-class-list.sh
# Needs a display: uses $DISPLAY, or starts Xvfb (apt-get install -y xvfb).
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=target/saliency-studio.jar
[ -f "$jar" ] || { echo "build the jar first: mvn -q -o package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d)
xvfb=
cleanup() { [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1600x1000x24 >/dev/null 2>&1 & xvfb=$!
  export DISPLAY=:97
  sleep 1
fi
# A fresh preferences node and session file: the run starts as a first start does, on the default model.
java -XX:DumpLoadedClassList="$tmp/classes.lst" -Dai.djl.offline=true \
  -Dsaliency.prefs.node=io/saliencystudio/cds-training -Dsaliency.session.file="$tmp/session.json" \
  -jar "$jar" > "$tmp/app.log" 2>&1 & app=$!
# The first explanation is on screen 3-4 s after start on the development machine; leave ample time.
sleep "${CDS_TRAINING_SECONDS:-15}"
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
grep -q "io/saliencystudio/app/MainWindow" "$tmp/classes.lst" || { echo "the app did not reach its window:" >&2; cat "$tmp/app.log" >&2; exit 1; }
# Kept in load order, with the lambda lines: the dump skips entries this build no longer has.
cp "$tmp/classes.lst" packaging/cds/classes.lst
echo "packaging/cds/classes.lst: $(wc -l < packaging/cds/classes.lst) classes"
