#!/usr/bin/env bash
# Startup time of a packaged Quarkus application (JVM mode) with Milvus CDI and 1 or 10 injected
# aliases, and with the Quarkus extension milvus-cdi-quarkus and 1 alias, against the same application
# without Milvus CDI. Writes docs/benchmarks/quarkus-startup.md.
#
#   ./mvnw -B -q package -pl quarkus/deployment -am   # the library's jars, in each module's target/
#   benchmarks/quarkus-startup/startup.sh [runs per variant, default 15]
#   REPORT_ONLY=1 benchmarks/quarkus-startup/startup.sh   # rewrite the report from the last run's times
#
# The three variants are built from benchmark/app/ (one REST resource, quarkus-rest-jackson and
# quarkus-smallrye-health); the Milvus ones add the milvus-cdi-extension dependency, a bean that
# injects each alias, and a uri per alias. Clients connect on first use, so no server is needed: what
# is measured is what the extension adds to booting. The library's jars are taken from the modules'
# target/ folders and laid out in a private repository (benchmarks/target/quarkus-startup/repository), read
# before ~/.m2 (maven.repo.local.tail), so nothing is installed into the shared ~/.m2. The runs of the variants are interleaved, so
# that a slow moment of the machine falls on all of them. Two numbers per run: Quarkus's own
# "started in" (from the start of its main to listening) and the wall time from launching java to
# the first HTTP answer of GET /hello. Reported: medians, and their ratios to the variant without.
set -euo pipefail

RUNS="${1:-15}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$ROOT/benchmarks/target/quarkus-startup"
REPORT="$ROOT/docs/benchmarks/quarkus-startup.md"
VARIANTS=(without-extension extension-1-alias extension-10-aliases quarkus-extension-1-alias)
REPOSITORY="$WORK/repository"

fail() { echo "startup.sh: $*" >&2; exit 1; }
command -v java >/dev/null || fail "java is missing: install a JDK 17 or newer"
command -v curl >/dev/null || fail "curl is missing: install it"
command -v python3 >/dev/null || fail "python3 is missing: it computes the medians"

property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1; }
QUARKUS_VERSION="$(property quarkus.version)"
MILVUS_CDI_VERSION="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")"
LOCAL_REPOSITORY="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"

# lay_out ARTIFACT MODULE_DIR PACKAGING: puts a module's pom (and jar) where a local repository keeps them.
lay_out() {
  local artifact=$1 module=$2 packaging=$3 folder
  folder="$REPOSITORY/io/github/milvuscdi/$artifact/$MILVUS_CDI_VERSION"
  mkdir -p "$folder"
  cp "$ROOT/$module/pom.xml" "$folder/$artifact-$MILVUS_CDI_VERSION.pom"
  if [[ "$packaging" == jar ]]; then
    local jar="$ROOT/$module/target/$artifact-$MILVUS_CDI_VERSION.jar"
    [[ -f "$jar" ]] || fail "$jar is missing: run ./mvnw -B -q package -pl quarkus/deployment -am first"
    cp "$jar" "$folder/"
  fi
}

aliases_of() {
  case "$1" in
    without-extension) echo 0 ;;
    extension-1-alias) echo 1 ;;
    extension-10-aliases) echo 10 ;;
    quarkus-extension-1-alias) echo 1 ;;
  esac
}

artifact_of() {
  case "$1" in
    quarkus-extension-*) echo milvus-cdi-quarkus ;;
    *) echo milvus-cdi-extension ;;
  esac
}

build() {
  local variant=$1 aliases dir
  aliases="$(aliases_of "$variant")"
  dir="$WORK/$variant"
  rm -rf "$dir"
  mkdir -p "$dir/src/main/resources"
  cp -r "$HERE/app/." "$dir/"
  sed -i "s/@VARIANT@/$variant/" "$dir/pom.xml"
  : > "$dir/src/main/resources/application.properties"
  if ((aliases > 0)); then
    sed -i "s|<!--@MILVUS_CDI_DEPENDENCY@-->|<dependency><groupId>io.github.milvuscdi</groupId><artifactId>$(artifact_of "$variant")</artifactId><version>$MILVUS_CDI_VERSION</version></dependency>|" "$dir/pom.xml"
    {
      echo "package bench;"
      echo "import io.github.milvuscdi.MilvusConnection;"
      echo "import io.milvus.v2.client.MilvusClientV2;"
      echo "import jakarta.enterprise.context.ApplicationScoped;"
      echo "import jakarta.inject.Inject;"
      echo "/** Injects every alias of the variant. */"
      echo "@ApplicationScoped"
      echo "public class Aliases {"
      for ((i = 1; i <= aliases; i++)); do
        echo "    @Inject @MilvusConnection(\"alias$i\") MilvusClientV2 alias$i;"
        echo "milvus.connections.alias$i.uri=http://localhost:$((19530 + i))" >> "$dir/src/main/resources/application.properties"
      done
      echo "}"
    } > "$dir/src/main/java/bench/Aliases.java"
  fi
  echo "building $variant ($aliases aliases)"
  (cd "$dir" && "$ROOT/mvnw" -B -q package -Dquarkus.version="$QUARKUS_VERSION" \
      -Dmaven.repo.local="$REPOSITORY" -Dmaven.repo.local.tail="$LOCAL_REPOSITORY") > "$WORK/$variant-build.log" 2>&1 \
    || { tail -n 30 "$WORK/$variant-build.log" >&2; fail "building $variant failed; see $WORK/$variant-build.log"; }
}

# run VARIANT: one start; prints "<started-in ms> <first-answer ms>".
run() {
  local variant=$1 port log pid started begin end
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  log="$WORK/$variant-run.log"
  begin="$(date +%s%N)"
  QUARKUS_HTTP_PORT="$port" java -jar "$WORK/$variant/target/quarkus-app/quarkus-run.jar" > "$log" 2>&1 &
  pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/hello" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "$variant exited while starting"; }
    (( $(date +%s%N) - begin < 60000000000 )) || { kill "$pid"; fail "$variant did not answer within 60 s"; }
    sleep 0.01
  done
  end="$(date +%s%N)"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  started="$(sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$log" | head -n 1)"
  [[ -n "$started" ]] || fail "no 'started in' line in $log"
  echo "$(python3 -c "print(round($started * 1000))") $(( (end - begin) / 1000000 ))"
}

mkdir -p "$WORK" "$(dirname "$REPORT")"
if [[ "${REPORT_ONLY:-}" == "1" ]]; then
  echo "REPORT_ONLY=1: writing the report from the times of the previous run"
else
cut -d' ' -f1-3 /proc/loadavg > "$WORK/load-before" 2>/dev/null || uptime > "$WORK/load-before"
rm -rf "$REPOSITORY"
lay_out milvus-cdi-parent . pom
lay_out milvus-cdi-quarkus-parent quarkus pom
for module in launcher:milvus-cdi-launcher runtime:milvus-cdi-runtime extension:milvus-cdi-extension \
    quarkus/runtime:milvus-cdi-quarkus quarkus/deployment:milvus-cdi-quarkus-deployment; do
  lay_out "${module#*:}" "${module%%:*}" jar
done
for variant in "${VARIANTS[@]}"; do
  build "$variant"
done

echo "warming up (one start of each, not counted)"
for variant in "${VARIANTS[@]}"; do
  run "$variant" > /dev/null
done
for variant in "${VARIANTS[@]}"; do
  : > "$WORK/$variant.times"
done
for ((r = 1; r <= RUNS; r++)); do
  for variant in "${VARIANTS[@]}"; do
    run "$variant" >> "$WORK/$variant.times"
  done
  echo "run $r of $RUNS done"
done
cut -d' ' -f1-3 /proc/loadavg > "$WORK/load-after" 2>/dev/null || uptime > "$WORK/load-after"
fi
RUNS="$(wc -l < "$WORK/${VARIANTS[0]}.times" | tr -d ' ')"

python3 - "$WORK" "$REPORT" "$RUNS" "$QUARKUS_VERSION" "$(java -version 2>&1 | head -n 1)" \
  "$(nproc 2>/dev/null || sysctl -n hw.ncpu) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)" \
  "$(date -u -r "$WORK/${VARIANTS[0]}.times" +%Y-%m-%d)" "$(cat "$WORK/load-before") before, $(cat "$WORK/load-after") after" "${VARIANTS[@]}" <<'PY'
import statistics, sys
work, report, runs, quarkus, java, machine, day, load, *variants = sys.argv[1:]
names = {"without-extension": "without Milvus CDI", "extension-1-alias": "Milvus CDI, 1 alias",
         "extension-10-aliases": "Milvus CDI, 10 aliases",
         "quarkus-extension-1-alias": "milvus-cdi-quarkus, 1 alias"}
stats = {}
for v in variants:
    rows = [tuple(map(int, line.split())) for line in open(f"{work}/{v}.times") if line.strip()]
    started = [r[0] for r in rows]
    answer = [r[1] for r in rows]
    stats[v] = (min(started), statistics.median(started), min(answer), statistics.median(answer), max(answer))
base = stats[variants[0]]
lines = [
    "# Quarkus startup with Milvus CDI",
    "",
    "What the extension adds to booting a packaged Quarkus application (JVM mode, `quarkus-run.jar`):",
    "the same small application (one REST resource, `quarkus-rest-jackson`, `quarkus-smallrye-health`)",
    "without Milvus CDI, with `milvus-cdi-extension` and a bean injecting 1 or 10 aliases, and with",
    "the Quarkus extension `milvus-cdi-quarkus` instead and 1 alias; each alias is configured with a",
    "`uri`. Clients connect on first use, so booting opens no connection and no server runs; a",
    "packaged application gets no Dev Services, so the last variant measures what the Quarkus",
    "extension adds in production (its documented configuration mappings).",
    "",
    f"Measured by `benchmarks/quarkus-startup/startup.sh` on {day}: Quarkus {quarkus}, {java}, {machine};",
    f"load average {load}. {runs} starts per variant after one warm-up start each, the variants",
    "interleaved. *started in* is Quarkus's own figure (from its main method to listening); *first",
    "answer* is the wall time from launching `java` to the first answer of `GET /hello`, JVM startup",
    "included. Ratios are to the variant without the extension, of the fastest starts (the least",
    "disturbed by the rest of the machine) and of the medians.",
    "",
    "| variant | started in: fastest (ms) | median (ms) | ratio, fastest | ratio, median "
    "| first answer: fastest (ms) | median (ms) | ratio, fastest | ratio, median |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for v in variants:
    m = stats[v]
    lines.append(f"| {names[v]} | {m[0]} | {m[1]:.0f} | {m[0] / base[0]:.2f} | **{m[1] / base[1]:.2f}** "
                 f"| {m[2]} | {m[3]:.0f} | {m[2] / base[2]:.2f} | **{m[3] / base[3]:.2f}** |")
spread = max(abs(stats[v][0] / base[0] - stats[v][1] / base[1]) for v in variants)
lines += [
    "",
    "How far to trust one run: where the ratios of the fastest starts and of the medians differ by",
    f"more than a few hundredths (here by up to {spread:.2f}), the machine was busy and neither is",
    "exact; the medians of many interleaved starts are then the steadier figure. Run it again on a",
    "quiet machine for a closer number.",
    "",
    "Raw times (started in, first answer; ms, one start a line) are left in",
    "`benchmarks/target/quarkus-startup/<variant>.times`.",
    "",
]
open(report, "w").write("\n".join(lines))
print("\n".join(lines))
PY
echo "written: $REPORT"
