#!/usr/bin/env bash
# Runs any benchmark of the repository; each run writes what it printed into benchmarks/results/,
# stamped with its start time, beside the machine (machine-*.txt) and its load (load-*.txt).
#
#   benchmarks/run.sh                      # every JMH benchmark, about 6 minutes on 2 idle cores
#   benchmarks/run.sh WeldBoot             # only the JMH benchmarks matching a regex
#   benchmarks/run.sh FirstUse -f 1        # any further JMH options
#   benchmarks/run.sh outage               # a server killed under load (docs/benchmarks/outage.md)
#   benchmarks/run.sh readiness            # the readiness probe's latency (docs/benchmarks/readiness.md)
#   benchmarks/run.sh quarkus-startup [n]  # Quarkus startup with and without (docs/benchmarks/quarkus-startup.md)
#   benchmarks/run.sh payara-deploy        # Payara Micro deployment with and without (docs/benchmarks/payara-deploy.md)
#   benchmarks/run.sh list                 # the named benchmarks above
#   OFFLINE=1 benchmarks/run.sh            # Maven offline, once dependencies are resolved
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse benchmarks/target/benchmarks.jar
#   QUIET_LOAD=1.0 benchmarks/run.sh       # first wait (30 min at most) for the 1-minute load
#                                          # average to fall below 1.0: on a shared machine
#
# A named benchmark is a main class in benchmarks.jar (NAMED_MAINS) or a script of its own in a
# folder of benchmarks/ (NAMED_SCRIPTS); add one there. Anything else is a JMH regex.
#
# The jar is built from the reactor (profile "benchmarks"), tests skipped, installing nothing.
# Benchmarks against milvus-lite need Python 3.10+ with venv and pip, and PyPI on the first run (see
# io.github.milvuscdi.launcher.MilvusLiteServer); its files land under benchmarks/target/milvus-lite/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
maven=("$root/mvnw" -B)
if [[ -n "${OFFLINE:-}" ]]; then
  maven+=(-o)
fi

# name -> main class in benchmarks.jar
declare -A NAMED_MAINS=(
  [outage]=io.github.milvuscdi.benchmarks.OutageBenchmark
  [readiness]=io.github.milvuscdi.benchmarks.ReadinessBenchmark
)
# name -> script under benchmarks/, which builds what it needs and writes its docs/benchmarks page
declare -A NAMED_SCRIPTS=(
  [quarkus-startup]=quarkus-startup/startup.sh
  [payara-deploy]=payara-deploy/deploy-time.sh
)
name="${1:-jmh}" # "jmh" is no benchmark's name: an associative array takes no empty key
if [[ "$name" == list ]]; then
  printf '%s\n' "${!NAMED_MAINS[@]}" "${!NAMED_SCRIPTS[@]}" | sort
  exit 0
fi

if [[ -z "${SKIP_BUILD:-}" && -z "${NAMED_SCRIPTS[$name]+set}" ]]; then
  # The benchmarks depend on the other modules' jars: the reactor builds them, tests skipped.
  (cd "$root" && "${maven[@]}" -q -Pbenchmarks package -pl benchmarks -am -DskipTests)
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
if [[ -n "${NAMED_MAINS[$name]+set}" ]]; then
  shift
  java -cp target/benchmarks.jar "${NAMED_MAINS[$name]}" "$@" 2>&1 | tee "$results/$name-$stamp.txt"
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine-$stamp.txt"
  echo "Results: $results/*-$stamp.*"
  exit 0
fi
if [[ -n "${NAMED_SCRIPTS[$name]+set}" ]]; then
  shift
  "$here/${NAMED_SCRIPTS[$name]}" "$@" 2>&1 | tee "$results/$name-$stamp.txt"
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine-$stamp.txt"
  echo "Results: $results/*-$stamp.*"
  exit 0
fi
java -jar target/benchmarks.jar \
  -rf json -rff "$results/jmh-$stamp.json" \
  "$@" 2>&1 | tee "$results/jmh-$stamp.txt"

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine-$stamp.txt"

if command -v python3 > /dev/null && [[ -f "$results/jmh-$stamp.json" ]]; then
  python3 "$here/summarize.py" "$results/jmh-$stamp.json" | tee "$results/summary-$stamp.md"
fi
echo "Results: $results/*-$stamp.*"
