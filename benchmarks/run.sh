#!/usr/bin/env bash
# Builds the benchmarks and runs them, writing JMH's results into benchmarks/results/.
#
#   benchmarks/run.sh                      # everything, about 6 minutes on 2 idle cores
#   benchmarks/run.sh WeldBoot             # only the benchmarks matching a JMH regex
#   benchmarks/run.sh FirstUse -f 1        # any further JMH options
#   OFFLINE=1 benchmarks/run.sh            # Maven offline, once dependencies are resolved
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse benchmarks/target/benchmarks.jar
#   SHARED_REPOSITORY=/path benchmarks/run.sh  # the local repository read (never written) when it
#                                          # is not ~/.m2/repository
#   QUIET_LOAD=1.0 benchmarks/run.sh       # first wait (30 min at most) for the 1-minute load
#                                          # average to fall below 1.0: on a shared machine
#
# The first-use benchmark starts milvus-lite: Python 3.10+ with venv and pip, and PyPI on the
# first run (see io.github.milvuscdi.testing.MilvusLiteServer). Its files land under
# benchmarks/target/milvus-lite/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
maven=("$root/mvnw" -B)
if [[ -n "${OFFLINE:-}" ]]; then
  maven+=(-o)
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  # The benchmarks depend on the snapshot jars of the other modules. Those are installed into a local
  # repository of the benchmarks' own, benchmarks/target/m2, chained in front of the shared one
  # (Maven 3.9's maven.repo.local.tail), which is only read: the shared repository never receives
  # these snapshots, and other builds on the machine never resolve them. Their tests do not run here.
  private=(-Dmaven.repo.local="$here/target/m2" -Dmaven.repo.local.tail="${SHARED_REPOSITORY:-$HOME/.m2/repository}")
  (cd "$root" && "${maven[@]}" "${private[@]}" -q install -pl testing,extension -am -DskipTests)
  (cd "$root" && "${maven[@]}" "${private[@]}" -q -f benchmarks/pom.xml package)
fi

if [[ -n "${QUIET_LOAD:-}" ]]; then
  deadline=$((SECONDS + 1800))
  until awk -v limit="$QUIET_LOAD" '{ exit !($1 < limit) }' /proc/loadavg; do
    if ((SECONDS > deadline)); then
      echo "The load average is still $(cut -d' ' -f1 /proc/loadavg) after 30 min; running anyway." >&2
      break
    fi
    sleep 15
  done
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$here/results"
mkdir -p "$results"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(grep -m1 MemTotal /proc/meminfo 2>/dev/null | awk '{print $2 " kB"}')"
  echo "os: $(uname -srm)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -version 2>&1
} > "$results/machine-$stamp.txt"

# Samples the load every 30 s while JMH runs: other work on the machine widens the error bars.
(while sleep 30; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; done) > "$results/load-$stamp.txt" &
sampler=$!
trap 'kill "$sampler" 2> /dev/null || true' EXIT

cd "$here"
java -jar target/benchmarks.jar \
  -rf json -rff "$results/jmh-$stamp.json" \
  "$@" 2>&1 | tee "$results/jmh-$stamp.txt"

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine-$stamp.txt"

if command -v python3 > /dev/null; then
  python3 "$here/summarize.py" "$results/jmh-$stamp.json" | tee "$results/summary-$stamp.md"
fi
echo "Results: $results/*-$stamp.*"
