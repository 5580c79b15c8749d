#!/usr/bin/env bash
# Screenshots of every desktop view in light and dark mode, from a real window under Xvfb, into
# docs/screenshots/. Uses a throw-away data folder with a demo conversation answered by the model
# given as $1 (default: the small trained passkey model next to the repository, if present).
# Needs xvfb-run (Debian: apt-get install xvfb). Not part of CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
model="${1:-$here/../shared/models/passkey-llama-6l-384.gguf}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
(cd "$here" && ./mvnw -q -DskipTests -pl ui -am package)
jar="$here/ui/target/canopy-ui.jar"
if [ -f "$model" ]; then
  # a models.json that lists the model and makes it the active one, written by the app itself
  CANOPY_HOME="$home" "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.canopy.ui.DemoData "$model"
fi
CANOPY_HOME="$home" xvfb-run -a -s "-screen 0 1280x800x24" "$java" --enable-native-access=ALL-UNNAMED \
  -Dcanopy.screenshots="$here/docs/screenshots" -jar "$jar"
ls -1 "$here/docs/screenshots"
