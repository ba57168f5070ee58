# Sourced by ./jclaw and ./run-tests: find_jdk prints the home of a JDK >= 25 or explains what to install.
# Order: $JAVA_HOME, then /usr/lib/jvm/*25* and any newer JDK under /usr/lib/jvm.

jdk_major() { # $1 = a JDK home; prints its feature version, or nothing
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}

find_jdk() {
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$home" ] || continue
    major=$(jdk_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      printf '%s\n' "$home"
      return 0
    fi
  done
  {
    echo "JClaw needs a JDK 25 or newer, and none was found."
    echo "Looked at: JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*."
    echo "Install one, for example Temurin 25 (Debian/Ubuntu: apt install temurin-25-jdk from"
    echo "packages.adoptium.net, or a tarball from https://adoptium.net), then set JAVA_HOME to it."
  } >&2
  return 1
}
