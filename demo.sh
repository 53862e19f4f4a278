#!/usr/bin/env bash
# The one-command demo: two real milvus-lite servers, the Quarkus notes application of it-quarkus/
# on top of them (aliases "default" and "archive"), a few notes written in words and searched by
# meaning through its REST API (the application embeds them in process with the sentence-embedding
# model all-MiniLM-L6-v2), the readiness check, and everything stopped again (also on Ctrl-C).
#
#   ./demo.sh                  builds what is needed (tests skipped, nothing installed; again only
#                              when a source changed), then runs the demo
#   DEMO_PORT=8080 ./demo.sh   the application's HTTP port (default: a free one)
#   DEMO_SKIP_BUILD=1 ./demo.sh  reuse the previous build even if sources changed since
#
# Needs Java 17+, Python 3.10+ with venv and pip (the testing module installs milvus-lite from PyPI
# into ~/.cache/milvus-cdi on the first run), and curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="$ROOT/it-quarkus"
WORK="$APP_DIR/target/demo"
JAR="$APP_DIR/target/quarkus-app/quarkus-run.jar"
CLASSPATH_FILE="$APP_DIR/target/demo-classpath.txt"
SERVERS_PID=""
APP_PID=""

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31mdemo.sh: %s\033[0m\n' "$*" >&2; exit 1; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    say "Stopping the application (SIGTERM)"
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    grep -E "Closed Milvus connection|stopped in" "$WORK/app.log" | sed 's/^/    /' || true
  fi
  if [[ -n "$SERVERS_PID" ]] && kill -0 "$SERVERS_PID" 2>/dev/null; then
    say "Stopping the milvus-lite servers"
    kill -TERM "$SERVERS_PID" 2>/dev/null || true
    wait "$SERVERS_PID" 2>/dev/null || true
  fi
  if [[ $code -eq 0 ]]; then
    say "Done. Logs: $WORK"
  elif [[ -d "$WORK" ]]; then
    printf '\nLogs: %s\n' "$WORK" >&2
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites --------------------------------------------------------------------------
say "Checking prerequisites"
command -v java >/dev/null || fail "java is missing: install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)"
JAVA_MAJOR="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
JAVA_MAJOR="${JAVA_MAJOR#1.}"
[[ "$JAVA_MAJOR" =~ ^[0-9]+$ && "$JAVA_MAJOR" -ge 17 ]] || fail "java is version '${JAVA_MAJOR:-unknown}'; Java 17 or newer is needed"
PYTHON="${MILVUS_LITE_PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || fail "$PYTHON is missing: install Python 3.10 or newer with venv and pip (Debian/Ubuntu: apt-get install python3 python3-venv python3-pip), or point MILVUS_LITE_PYTHON at one"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || fail "$PYTHON is $("$PYTHON" -c 'import platform; print(platform.python_version())'); Python 3.10 or newer is needed (or set MILVUS_LITE_PYTHON)"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
  || fail "$PYTHON has no venv or ensurepip module: install them (Debian/Ubuntu: apt-get install python3-venv python3-pip)"
command -v curl >/dev/null || fail "curl is missing: install it (Debian/Ubuntu: apt-get install curl)"
echo "    java $JAVA_MAJOR, $("$PYTHON" --version 2>&1), $(curl --version | head -n 1 | cut -d' ' -f1-2)"

mkdir -p "$WORK"
# A previous run's logs would pass the waits below before the new processes write theirs.
rm -f "$WORK/servers.log" "$WORK/app.log"

# --- build ---------------------------------------------------------------------------------
# The demo shows; the tests test (./mvnw verify). It builds the library and the application from the
# reactor with the tests skipped and installs nothing into the local Maven repository: the servers'
# launcher runs from the reactor's own jars, through the class path the build writes down.
# Built already, and no file of the modules it needs changed since: run again without Maven.
newer_source() {
  (cd "$ROOT" && find pom.xml .mvn launcher testing test-harness runtime extension it-quarkus -path '*/target' -prune \
    -o -type f -newer "$JAR" -print -quit)
}
if [[ -f "$JAR" && -f "$CLASSPATH_FILE" && ( "${DEMO_SKIP_BUILD:-}" == "1" || -z "$(newer_source)" ) ]]; then
  say "Reusing the previous build ($JAR): no source changed since"
else
  say "Building the library and the Quarkus application, tests skipped (./mvnw package -pl it-quarkus -am -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package dependency:build-classpath -pl it-quarkus -am -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/demo-classpath.txt) > "$WORK/build.log" 2>&1 \
    || { tail -n 40 "$WORK/build.log" >&2; fail "the build failed; see $WORK/build.log"; }
fi
[[ -f "$JAR" ]] || fail "$JAR is missing after the build"
[[ -f "$CLASSPATH_FILE" ]] || fail "$CLASSPATH_FILE is missing after the build"

# --- milvus-lite ----------------------------------------------------------------------------
say "Starting two milvus-lite servers, 'default' and 'archive', with the launcher's MilvusLiteCommand (installs milvus-lite on the first run)"
# Background processes get process groups of their own (set -m), so that Ctrl-C reaches only this
# script, which then stops them in order: the application first, while its servers still answer.
set -m
java -cp "$APP_DIR/target/test-classes:$APP_DIR/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.github.milvuscdi.launcher.MilvusLiteCommand default archive > "$WORK/servers.log" 2>&1 &
SERVERS_PID=$!
set +m
for ((i = 0; i < 1200; i++)); do
  grep -q '^milvus-lite ready$' "$WORK/servers.log" 2>/dev/null && break
  kill -0 "$SERVERS_PID" 2>/dev/null || { tail -n 40 "$WORK/servers.log" >&2; fail "milvus-lite did not start; see $WORK/servers.log"; }
  sleep 0.5
done
grep -q '^milvus-lite ready$' "$WORK/servers.log" || fail "milvus-lite was not ready within 10 minutes; see $WORK/servers.log"
DEFAULT_URI="$(awk '$1 == "default" { print $2 }' "$WORK/servers.log")"
ARCHIVE_URI="$(awk '$1 == "archive" { print $2 }' "$WORK/servers.log")"
echo "    default: $DEFAULT_URI"
echo "    archive: $ARCHIVE_URI"

# --- the application ------------------------------------------------------------------------
PORT="${DEMO_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://localhost:$PORT"
say "Starting the Quarkus application on port $PORT, configured by environment variables"
echo "    MILVUS_CONNECTIONS_DEFAULT_URI=$DEFAULT_URI MILVUS_CONNECTIONS_ARCHIVE_URI=$ARCHIVE_URI java -jar ${JAR#"$ROOT"/}"
set -m
MILVUS_CONNECTIONS_DEFAULT_URI="$DEFAULT_URI" MILVUS_CONNECTIONS_ARCHIVE_URI="$ARCHIVE_URI" QUARKUS_HTTP_PORT="$PORT" \
  java -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
set +m
for ((i = 0; i < 240; i++)); do
  grep -q 'Listening on' "$WORK/app.log" 2>/dev/null && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; fail "the application exited; see $WORK/app.log"; }
  sleep 0.25
done
grep -q 'Listening on' "$WORK/app.log" || fail "the application did not start within 60 s; see $WORK/app.log"
grep -E 'started in' "$WORK/app.log" | sed 's/^/    /'

# call METHOD PATH [JSON]: prints the request and the answer; fails on an HTTP error.
call() {
  local method=$1 path=$2 body=${3:-}
  printf '    %s %s %s\n' "$method" "$path" "$body"
  local answer
  answer="$(curl -sS --fail-with-body -X "$method" -H 'Content-Type: application/json' ${body:+--data "$body"} "$BASE$path")" \
    || fail "$method $path failed: $answer"
  printf '    <- %s\n' "$answer"
}

say "Creating the collection 'notes' on both aliases (384 dimensions: the size of the model's vectors)"
call PUT /notes/default/notes
call PUT /notes/archive/notes

say "Adding notes in words, current ones to 'default', old ones to 'archive'; the application embeds each"
echo "    (the first call waits for the model, which loads in the background as the application starts)"
call POST /notes/default/notes '[
  {"id": 1, "text": "Buy oat milk and coffee beans"},
  {"id": 2, "text": "Send the quarterly report to Dana"},
  {"id": 3, "text": "Book the night train to Vienna"},
  {"id": 4, "text": "Fix the dripping kitchen tap"},
  {"id": 5, "text": "Find a hotel near the station in Vienna"},
  {"id": 6, "text": "Settle the back taxes with the tax authority"}
]'
call POST /notes/archive/notes '[
  {"id": 101, "text": "2024: ferry timetable to Split"},
  {"id": 102, "text": "2024: tax return checklist"},
  {"id": 103, "text": "2024: repaint the garden fence"}
]'
grep -o "Loaded the sentence-embedding model.*" "$WORK/app.log" | sed "s/^/    the application: /" || true

print_matches() {
  "$PYTHON" -c '
import json, sys
for rank, match in enumerate(json.load(sys.stdin), 1):
    print("      %d. %-46s score %.2f  (id %d)" % (rank, match["text"], match["score"], match["id"]))'
}

# search WORDS: the three nearest notes on each alias.
search() {
  local query="{\"text\": \"$1\", \"limit\": 3}"
  say "Searching by meaning: \"$1\""
  echo "    POST /notes/{alias}/notes/search $query"
  echo "    nearest current notes (alias 'default'):"
  curl -sS --fail-with-body -H 'Content-Type: application/json' --data "$query" "$BASE/notes/default/notes/search" | print_matches
  echo "    nearest archived notes (alias 'archive'):"
  curl -sS --fail-with-body -H 'Content-Type: application/json' --data "$query" "$BASE/notes/archive/notes/search" | print_matches
}
search "a trip by rail"
search "money owed to the state"
echo
echo "    No note says \"trip\", \"rail\", \"money\", \"owed\" or \"state\": they are found by meaning. A score is"
echo "    the cosine similarity of two of the model's vectors: 1 for the same meaning, near 0 for unrelated."

say "Readiness: GET /q/health/ready"
READY=""
for ((i = 0; i < 30; i++)); do
  READY="$(curl -sS -w '\n%{http_code}' "$BASE/q/health/ready")"
  [[ "${READY##*$'\n'}" == "200" ]] && break
  sleep 1
done
printf '%s\n' "${READY%$'\n'*}"
[[ "${READY##*$'\n'}" == "200" ]] || fail "the application is not ready (HTTP ${READY##*$'\n'})"
