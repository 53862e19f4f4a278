#!/usr/bin/env python3
"""Turns a JMH JSON result of the Milvus CDI benchmarks into Markdown tables.

Usage: summarize.py results/jmh-<stamp>.json

Errors are half-widths of 99.9% confidence intervals, as JMH prints them:
- for a plain JMH score, JMH's own error (Student's t over every iteration of every fork);
- for the alternating benchmarks, the same interval computed here over the per-iteration values
  (mean time of each side, their difference and their ratio), from the counters JMH records;
- for the cold ratio, an error propagated from both scores (first order, independent errors).
"""
import json
import math
import statistics
import sys

CONFIDENCE = 0.999


def t_quantile(p, dof):
    """Student's t quantile for p in (0.5, 1), by bisection on a Simpson-integrated density."""
    log_norm = math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2) - 0.5 * math.log(dof * math.pi)

    def density(x):
        return math.exp(log_norm - (dof + 1) / 2 * math.log1p(x * x / dof))

    def area(x, steps=2000):
        h = x / steps
        total = density(0) + density(x)
        total += sum((4 if i % 2 else 2) * density(i * h) for i in range(1, steps))
        return total * h / 3

    low, high = 0.0, 1000.0
    for _ in range(100):
        mid = (low + high) / 2
        if 0.5 + area(mid) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def interval(values):
    """Mean and half-width of its confidence interval."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, float("nan")
    t = t_quantile(1 - (1 - CONFIDENCE) / 2, len(values) - 1)
    return mean, t * statistics.stdev(values) / math.sqrt(len(values))


def load(path):
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    results = {}
    for run in runs:
        name = run["benchmark"].rsplit(".", 2)
        key = (name[-2], name[-1], tuple(sorted((run.get("params") or {}).items())))
        results[key] = run
    return results


def fmt(value):
    if value != value:  # NaN: no error with a single sample
        return "–"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def sides(run, a_nanos, a_count, b_nanos, b_count, per_unit=1e6):
    counters = run["secondaryMetrics"]

    def flat(name):
        return [v for fork in counters[name]["rawData"] for v in fork]

    a = [n / c / per_unit for n, c in zip(flat(a_nanos), flat(a_count)) if c > 0]
    b = [n / c / per_unit for n, c in zip(flat(b_nanos), flat(b_count)) if c > 0]
    operations = (int(sum(flat(a_count))), int(sum(flat(b_count))))
    return a, b, operations


def paired_row(label, a, b, operations, unit="ms/op", digits=2):
    a_mean, a_error = interval(a)
    b_mean, b_error = interval(b)
    d_mean, d_error = interval([x - y for x, y in zip(a, b)])
    r_mean, r_error = interval([x / y for x, y in zip(a, b)])
    return (f"| {label} | {fmt(a_mean)} | {fmt(a_error)} | {fmt(b_mean)} | {fmt(b_error)} | {unit} "
            f"| {fmt(d_mean)} ± {fmt(d_error)} | {r_mean:.{digits}f} ± {r_error:.{digits}f} | {len(a)} | "
            f"{operations[0]} / {operations[1]} |")


def main(path):
    results = load(path)
    out = []

    parsing = sorted((int(dict(k[2])["aliases"]), run["primaryMetric"]) for k, run in results.items()
                     if k[0] == "ConfigParsingBenchmark")
    if parsing:
        out += ["### 1. Parsing and validating the configuration (`readAll`, average time)", "",
                "| aliases | mean | ± error | unit | per alias | iterations |",
                "|---:|---:|---:|---|---:|---:|"]
        for n, m in parsing:
            iterations = sum(len(fork) for fork in m["rawData"])
            out.append(f"| {n} | {fmt(m['score'])} | {fmt(m['scoreError'])} | {m['scoreUnit']} "
                       f"| {fmt(m['score'] / n)} | {iterations} |")
        out.append("")

    first = {k[1]: run for k, run in results.items() if k[0] == "FirstUseBenchmark"}
    if "alternating" in first or ("registryCold" in first and "byHandCold" in first):
        out += ["### 2. First use against milvus-lite: connect, then close", "",
                "| variant | registry | ± error | by hand | ± error | unit | registry − by hand | "
                "registry / by hand | iterations | connections |",
                "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        if "alternating" in first:
            a, b, ops = sides(first["alternating"], "registryNanos", "registryConnects",
                              "byHandNanos", "byHandConnects")
            out.append(paired_row("warm JVM, alternating (avgt)", a, b, ops))
        if "registryCold" in first and "byHandCold" in first:
            a = first["registryCold"]["primaryMetric"]
            b = first["byHandCold"]["primaryMetric"]
            r = a["score"] / b["score"]
            er = r * math.sqrt((a["scoreError"] / a["score"]) ** 2 + (b["scoreError"] / b["score"]) ** 2)
            forks = sum(len(fork) for fork in a["rawData"]), sum(len(fork) for fork in b["rawData"])
            out.append(f"| fresh JVM, first connection (ss) | {fmt(a['score'])} | {fmt(a['scoreError'])} "
                       f"| {fmt(b['score'])} | {fmt(b['scoreError'])} | {a['scoreUnit']} "
                       f"| {fmt(a['score'] - b['score'])} | {r:.2f} ± {er:.2f} | {forks[0]} / {forks[1]} "
                       f"| {forks[0]} / {forks[1]} |")
        out.append("")

    boot = sorted((int(dict(k[2])["aliases"]), run) for k, run in results.items()
                  if k[0] == "WeldBootBenchmark" and k[1] == "alternating")
    if boot:
        out += ["### 3. Weld SE boot + shutdown, with and without the extension (alternating, avgt)", "",
                "| configured aliases | with | ± error | without | ± error | unit | extra | with / without "
                "| iterations | boots |",
                "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        for n, run in boot:
            a, b, ops = sides(run, "withNanos", "withBoots", "withoutNanos", "withoutBoots")
            out.append(paired_row(str(n), a, b, ops))
        out.append("")

    telemetry = {(k[1], dict(k[2]).get("spanProcessor", "batch")): run
                 for k, run in results.items() if k[0] == "TelemetryBenchmark"}
    processors = sorted({processor for _, processor in telemetry}, key=lambda p: (p != "batch", p))
    if any(method == "alternating" for method, _ in telemetry):
        out += ["### 4. hasCollection against milvus-lite, telemetry on and off (alternating, avgt)", "",
                "`floor` (when measured): the same call traced by the least any tracing does (the OpenTelemetry "
                "SDK's span and point, the propagation); `floor − plain` is what is not ours, `traced − floor` "
                "what is.", "",
                "| span processor | measure | A | ± error | B | ± error | unit | A − B | A / B | iterations | calls |",
                "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        for processor in processors:
            run = telemetry.get(("alternating", processor))
            if run is None:
                continue
            pairs = [("traced", "plain")]
            if "floorCalls" in run.get("secondaryMetrics", {}):
                pairs += [("floor", "plain"), ("traced", "floor")]
            for measure, suffix, per_unit, unit in (("wall time", "Nanos", 1e3, "µs/op"),
                                                     ("CPU time of the calling thread", "CpuNanos", 1e3, "µs/op"),
                                                     ("bytes allocated by the calling thread", "AllocatedBytes", 1,
                                                      "B/op")):
                if "traced" + suffix not in run.get("secondaryMetrics", {}):
                    continue
                for a_side, b_side in pairs:
                    a, b, ops = sides(run, a_side + suffix, a_side + "Calls", b_side + suffix, b_side + "Calls",
                                      per_unit=per_unit)
                    out.append(f"| {processor} " + paired_row(f"{measure}: {a_side} (A) vs {b_side} (B)", a, b, ops,
                                                              unit=unit, digits=3))
        out.append("")
    for processor in processors:
        run = telemetry.get(("openTelemetryAlone", processor))
        if run is not None:
            floor = run["primaryMetric"]
            out.append(f"The OpenTelemetry SDK alone ({processor}), one span and one histogram point without an "
                       f"RPC (`openTelemetryAlone`): {floor['score']:.3g} ± {floor['scoreError']:.2g} "
                       f"{floor['scoreUnit']}.")
    out.append("")

    interceptor = {k[1]: run for k, run in results.items() if k[0] == "InterceptorCostBenchmark"}
    if interceptor:
        out += ["### 6. The tracing interceptor alone, no network (InterceptorCostBenchmark, avgt)", "",
                "| side | CPU time of the calling thread | ± error | unit | bytes allocated (`-prof gc`) | ± error "
                "| iterations | calls |",
                "|---|---:|---:|---|---:|---:|---:|---:|"]
        means = {}
        for side in ("traced", "untraced"):
            run = interceptor.get(side)
            if run is None:
                continue
            counters = run["secondaryMetrics"]
            cpu = [n / c for fork_n, fork_c in zip(counters["cpuNanos"]["rawData"], counters["calls"]["rawData"])
                   for n, c in zip(fork_n, fork_c) if c > 0]
            mean, error = interval(cpu)
            alloc = counters.get("gc.alloc.rate.norm")
            allocated = (fmt(alloc["score"]), fmt(alloc["scoreError"])) if alloc else ("", "")
            means[side] = (mean, alloc["score"] if alloc else None)
            calls_total = int(sum(c for fork in counters["calls"]["rawData"] for c in fork))
            out.append(f"| {side} | {fmt(mean)} | {fmt(error)} | ns/call | {allocated[0]} | {allocated[1]} "
                       f"| {len(cpu)} | {calls_total} |")
        if len(means) == 2:
            cpu_d = means["traced"][0] - means["untraced"][0]
            line = f"Traced − untraced: {fmt(cpu_d)} ns of CPU per call"
            if means["traced"][1] is not None and means["untraced"][1] is not None:
                line += f", {fmt(means['traced'][1] - means['untraced'][1])} B allocated per call"
            out.append("")
            out.append(line + ".")
        out.append("")

    calls = {k[1]: run for k, run in results.items() if k[0] == "CallCostBenchmark"}
    if calls:
        out += ["### 5. hasCollection against milvus-lite: our clients beside one built by hand (alternating, avgt)",
                "",
                "| threads | client | measure | ours | ± error | by hand | ± error | unit | ours − by hand "
                "| ours / by hand | iterations | calls |",
                "|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        for method, threads in (("oneThread", 1), ("threads16", 16), ("threads64", 64)):
            run = calls.get(method)
            if run is None:
                continue
            for side, label in (("registry", "registry, telemetry off"), ("plain", "injected, telemetry off"),
                                ("traced", "injected, telemetry on")):
                for suffix, measure, unit, per_unit in (("Nanos", "wall time", "µs/op", 1e3),
                                                        ("CpuNanos", "CPU time of the calling thread", "µs/op",
                                                         1e3),
                                                        ("AllocatedBytes", "bytes allocated by the calling thread",
                                                         "B/op", 1)):
                    a, b, ops = sides(run, side + suffix, side + "Calls", "byHand" + suffix, "byHandCalls",
                                      per_unit=per_unit)
                    out.append(f"| {threads} | {label} " + paired_row(measure, a, b, ops, unit=unit, digits=3))
            counters = run["secondaryMetrics"]
            seconds = float(run["measurementTime"].split()[0])
            per_iteration = [sum(counters[s + "Calls"]["rawData"][f][i] for s in ("byHand", "registry", "plain",
                                                                                    "traced"))
                             for f in range(len(counters["byHandCalls"]["rawData"]))
                             for i in range(len(counters["byHandCalls"]["rawData"][f]))]
            mean, error = interval([n / seconds for n in per_iteration])
            out.append(f"| {threads} | all four | calls per second, all clients together | {fmt(mean)} | {fmt(error)} "
                       f"| | | calls/s | | | {len(per_iteration)} | |")
        out.append("")

    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py results/jmh-<stamp>.json")
    main(sys.argv[1])
