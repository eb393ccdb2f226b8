# Sourced by ./trellis-server and ./test: sets TRELLIS_JAVA_HOME to a JDK >= 25.
# The choice is cached (keyed by JAVA_HOME) so that starting the server does not launch an
# extra JVM just to read a version: the server's start time matters to test harnesses.
java_major() {
  # The JDK's release file names its version; asking the JVM itself is the slow fallback.
  local v=""
  if [[ -f "$1/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -1)"
  fi
  if [[ -z "$v" ]]; then
    v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
  fi
  echo "$v"
}
TRELLIS_JAVA_HOME=""
trellis_java_cache="${here:-.}/server/target/.java-home"
if [[ -f "$trellis_java_cache" ]]; then
  IFS='|' read -r cached_for cached_home < "$trellis_java_cache" || true
  if [[ "$cached_for" == "${JAVA_HOME:-}" && -x "$cached_home/bin/java" && -x "$cached_home/bin/javac" ]]; then
    TRELLIS_JAVA_HOME="$cached_home"
  fi
fi
if [[ -z "$TRELLIS_JAVA_HOME" ]]; then
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major="$(java_major "$candidate")"
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 25 )); then
      TRELLIS_JAVA_HOME="$candidate"
      break
    fi
  done
  if [[ -n "$TRELLIS_JAVA_HOME" ]] && mkdir -p "$(dirname "$trellis_java_cache")" 2>/dev/null; then
    printf '%s|%s\n' "${JAVA_HOME:-}" "$TRELLIS_JAVA_HOME" > "$trellis_java_cache" 2>/dev/null || true
  fi
fi
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
