# Sourced by ./trellis-server and ./test: sets TRELLIS_JAVA_HOME to a JDK >= 25.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
TRELLIS_JAVA_HOME=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
  major="$(java_major "$candidate")"
  if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 25 )); then
    TRELLIS_JAVA_HOME="$candidate"
    break
  fi
done
if [[ -z "$TRELLIS_JAVA_HOME" ]]; then
  echo "Trellis needs a JDK 25 or newer: set JAVA_HOME to one, or install it under /usr/lib/jvm" >&2
  echo "(for example Temurin 25: /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  exit 1
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "Trellis builds with Apache Maven: install it (apt-get install maven)." >&2
  exit 1
fi
export TRELLIS_JAVA_HOME
