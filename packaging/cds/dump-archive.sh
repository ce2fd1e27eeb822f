#!/usr/bin/env sh
# Dumps the class-data-sharing archive of an app-image where it lives: dump-archive.sh IMAGE_DIR
# The launcher maps $APPDIR/saliency-studio.jsa (packaging/jpackage/app.txt): the JDK and app classes the app loads
# before its first window (cds/classes.lst, made by packaging/cds/make-class-list.sh), parsed and verified ahead of
# time, so the window comes up ~0.5 s sooner. Java 17 records absolute class paths in the archive, so it is made in
# place: by the dist build for target/dist/saliency-studio and by the .deb's postinst for /opt/saliency-studio. A
# missing archive, or one left behind by a moved image, is ignored by the JVM: the app then starts as before.
set -eu
image=$(cd "$1" && pwd)
app="$image/lib/app"
archive="$app/saliency-studio.jsa"
rm -f "$archive"
# The image has no bin/java (jpackage strips it); its own launcher runs the dump with the exact class path it uses.
# The launcher's -XX:SharedArchiveFile names where the archive goes.
if ! JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$app/cds/classes.lst -Xlog:cds=off" \
    "$image/bin/saliency-studio" > "$app/cds/dump.log" 2>&1 || [ ! -s "$archive" ]; then
  rm -f "$archive"
  echo "no class-data archive (the app starts without it); see $app/cds/dump.log" >&2
  exit 1
fi
echo "class-data archive: $archive ($(du -h "$archive" | cut -f1))"
