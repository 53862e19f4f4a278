#!/usr/bin/env bash
# Deployment time of the notes WAR on Payara Micro with Milvus CDI and without it, from one run.
#
#   benchmarks/payara-deploy/deploy-time.sh            # writes docs/benchmarks/payara-deploy.md
#
# "With": the notes WAR as the tests deploy it (milvus-cdi-extension in WEB-INF/lib).
# "Without": the same WAR less milvus-cdi-extension and milvus-cdi-runtime, whose Notebooks class is
# replaced by baseline/…/Notebooks.java, which builds the two SDK clients itself from the same keys.
# Both keep the SDK and its libraries. They are deployed in turns, ROUNDS times each (default 3:
# without, with, without, with, ...), each time on a fresh Payara Micro (no Milvus server is needed:
# neither connects while deploying); the time is Payara's own "notes was successfully deployed in
# N milliseconds", and the ratio is that of the fastest deployment of each, which is the least
# disturbed by whatever else the machine runs. Because a shared machine disturbs wall-clock times a
# lot, the script also reads the CPU time the Payara Micro JVM had used when it was ready (from
# /proc, Linux only), which other processes hardly change. Needs Java 17 and python3 (a free port).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
out=$root/benchmarks/target/payara-deploy
result=$root/docs/benchmarks/payara-deploy.md
rounds=${ROUNDS:-3}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== building the WAR and fetching Payara Micro (./mvnw -pl it-war,it-payara -am pre-integration-test -DskipTests)"
# from the reactor, installing nothing; the class path of it-war is written down by the same build
./mvnw -B -q -pl it-war,it-payara -am pre-integration-test dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/benchmark-classpath.txt
payara=$root/it-payara/target/payara-micro/payara-micro-6.jar
with_war=$root/it-payara/target/payara-micro/notes.war
[[ -f $payara && -f $with_war ]] || { echo "missing $payara or $with_war after the build" >&2; exit 1; }

echo "== building the baseline WAR (without Milvus CDI)"
rm -rf "$out"
mkdir -p "$out/baseline/war" "$out/with" "$out/without"
cp "$root/it-war/target/benchmark-classpath.txt" "$out/classpath.txt"
(cd "$out/baseline/war" && jar xf "$with_war")
rm -f "$out"/baseline/war/WEB-INF/lib/milvus-cdi-*.jar \
      "$out/baseline/war/WEB-INF/classes/io/github/milvuscdi/it/notes/Notebooks.class" \
      "$out/baseline/war/WEB-INF/classes/io/github/milvuscdi/it/notes/MilvusFailures\$Unreachable.class"
javac --release 17 -nowarn -d "$out/baseline/war/WEB-INF/classes" \
      -cp "$(cat "$out/classpath.txt" | tr ':' '\n' | grep -v 'milvus-cdi-' | paste -sd:):$out/baseline/war/WEB-INF/classes" \
      "$root/benchmarks/payara-deploy/baseline/io/github/milvuscdi/it/notes/Notebooks.java"
mkdir -p "$out/without/war"
(cd "$out/baseline/war" && jar cf "$out/without/war/notes.war" .)
mkdir -p "$out/with/war" && cp "$with_war" "$out/with/war/notes.war"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# boot LABEL ROUND: deploys $out/LABEL/war/notes.war on a fresh Payara Micro, then stops it; sets
# deployed_ms and ready_ms from its log, cpu_ms from /proc when the log says it is ready.
boot() {
    local label=$1 dir=$out/$1/$2 port pid log
    mkdir -p "$dir"
    port=$(free_port)
    log=$dir/server.log
    echo "== $label, round $2: Payara Micro on port $port, log $log"
    java -jar "$payara" --deploy "$out/$label/war/notes.war" --contextroot / --port "$port" --nocluster \
         --rootdir "$dir/root" > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1500); do
        grep -q "ready in" "$log" && break
        kill -0 "$pid" 2>/dev/null || { echo "Payara Micro exited early; see $log" >&2; exit 1; }
        sleep 0.2
    done
    # utime + stime, fields 14 and 15 of /proc/PID/stat (the name field has no spaces: "java")
    cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
    kill "$pid"
    wait "$pid" || true
    local plain
    plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
    grep -q "notes was successfully deployed" <<<"$plain" || { echo "$label did not deploy; see $log" >&2; exit 1; }
    deployed_ms=$(grep -o "notes was successfully deployed in [0-9,]* milliseconds" <<<"$plain" | grep -o "[0-9][0-9,]*" | tr -d ,)
    ready_ms=$(grep -o "ready in [0-9,]* (ms)" <<<"$plain" | grep -o "[0-9][0-9,]*" | tr -d ,)
    echo "   deployed in $deployed_ms ms, Payara Micro ready in $ready_ms ms, using $cpu_ms ms of CPU"
}

declare -a without_deployed without_ready without_cpu with_deployed with_ready with_cpu
for round in $(seq 1 "$rounds"); do
    boot without "$round"; without_deployed+=("$deployed_ms"); without_ready+=("$ready_ms"); without_cpu+=("$cpu_ms")
    boot with "$round";    with_deployed+=("$deployed_ms");    with_ready+=("$ready_ms");    with_cpu+=("$cpu_ms")
done

min() { printf '%s\n' "$@" | sort -n | head -1; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
list() { local IFS=,; echo "$*" | sed 's/,/, /g'; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
best_without=$(min "${without_deployed[@]}"); best_with=$(min "${with_deployed[@]}")
best_without_ready=$(min "${without_ready[@]}"); best_with_ready=$(min "${with_ready[@]}")
deploy_ratio=$(ratio "$best_with" "$best_without")
ready_ratio=$(ratio "$best_with_ready" "$best_without_ready")
median_without_cpu=$(median "${without_cpu[@]}"); median_with_cpu=$(median "${with_cpu[@]}")
cpu_ratio=$(ratio "$median_with_cpu" "$median_without_cpu")
cpu_extra=$((median_with_cpu - median_without_cpu))
busy_note=""
if awk -v load="${load_before%% *}" -v cores="$(nproc)" 'BEGIN {exit !(load > cores)}'; then
    busy_note="- **This run shared the machine** (load average ${load_before%% *} on $(nproc) cores when it began): the
  wall-clock times and their ratio are mostly noise here; the CPU ratio is the one to read."
fi
payara_version=$(sed -n 's:.*<payara-micro.version>\(.*\)</payara-micro.version>.*:\1:p' pom.xml)
java_version=$(java -version 2>&1 | head -1)

mkdir -p "$(dirname "$result")"
cat > "$result" <<MD
# Payara Micro: deployment time with and without Milvus CDI

Measured by \`benchmarks/payara-deploy/deploy-time.sh\` on $(date -u +%Y-%m-%d), in one run: each WAR deployed
$rounds times, in turns, each time on a fresh Payara Micro $payara_version; $(nproc) cores,
$(free -g | awk '/Mem:/{print $2}') GiB, $java_version; load average before the run: $load_before.

| WAR | deployed in (Payara's log), fastest | every deployment | ready in, fastest | CPU used until ready, median | every CPU time |
|---|---|---|---|---|---|
| without Milvus CDI (the SDK, clients built by hand) | $best_without ms | $(list "${without_deployed[@]}") ms | $best_without_ready ms | $median_without_cpu ms | $(list "${without_cpu[@]}") ms |
| with Milvus CDI (\`milvus-cdi-extension\` in \`WEB-INF/lib\`) | $best_with ms | $(list "${with_deployed[@]}") ms | $best_with_ready ms | $median_with_cpu ms | $(list "${with_cpu[@]}") ms |
| **ratio with / without** | **$deploy_ratio** | | $ready_ratio | **$cpu_ratio** ($cpu_extra ms more) | |

- Both WARs hold the Milvus SDK 2.6.22 and its libraries (protobuf-java, guava, gson, okhttp, kotlin-stdlib…);
  they differ by \`milvus-cdi-extension\` and \`milvus-cdi-runtime\` and by how \`Notebooks\` gets its two
  clients (injected, or built from the same configuration keys by
  \`benchmarks/payara-deploy/baseline/…/Notebooks.java\`). Neither connects to Milvus while deploying, so no
  server is needed.
- "Deployed in" is Payara's own measure of the WAR's deployment (class scanning, Weld's bean discovery
  with our portable extension, the health check's registration); "ready in" is the whole boot.
- The deployment ratio compares the fastest deployment of each WAR: on a shared 2-core machine the
  others are slowed by whatever else runs (the whole boot slows with them, not only the deployment).
- The CPU column is the CPU time (user + system, all threads) the Payara Micro JVM had used when its
  log said \`ready in\`, read from \`/proc\`: Payara's own boot plus the deployment. Other processes
  change it far less than wall-clock times, so on a busy machine it is the better comparison.
$busy_note
MD
echo "== wrote $result"
cat "$result"
