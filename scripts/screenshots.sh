#!/usr/bin/env bash
# Screenshots of every desktop view in light and dark mode, from the real window, into
# docs/screenshots/. Uses a throw-away data folder with a demo conversation answered by the model
# given as $1 (default: the small trained passkey model next to the repository, if present; else a
# tiny random-weight model). Runs under Xvfb when xvfb-run is installed (Debian: apt-get install
# xvfb); otherwise headless on Monocle through ui's ScreenshotsTest (no display needed). Not part of CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
model="${1:-$here/../shared/models/passkey-llama-6l-384.gguf}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
if ! command -v xvfb-run >/dev/null; then
  (cd "$here" && ./mvnw -q -pl ui -am test -Dtest=ScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dscreenshots.dir="$here/docs/screenshots" -Dscreenshots.model="$model")
  ls -1 "$here/docs/screenshots"
  exit 0
fi
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
(cd "$here" && ./mvnw -q -DskipTests -pl ui -am package)
jar="$here/ui/target/canopy-ui.jar"
if [ -f "$model" ]; then
  # a models.json that lists the model and makes it the active one, written by the app itself
  CANOPY_HOME="$home" "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.canopy.ui.DemoData "$model"
fi
CANOPY_HOME="$home" xvfb-run -a -s "-screen 0 1280x800x24" "$java" --enable-native-access=ALL-UNNAMED \
  -Dcanopy.screenshots="$here/docs/screenshots" -jar "$jar"
ls -1 "$here/docs/screenshots"
