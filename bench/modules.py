#!/usr/bin/env python3
"""Module command path: Trellis vs Redis with the same C module, measured in the same run.

Builds native/modules/tmbench.c (our own benchmark module, see its header) and loads it into
Debian's redis-server and into ./trellis-server. Then, like compare.py, warms both up and
alternates them over N short rounds of redis-benchmark per command, reporting the medians of
the per-round ratios (Trellis / Redis) of throughput and of server CPU time per request.

  tmbench.noop            module command that only replies (fixed cost of a module call)
  tmbench.dmaget key      OpenKey + StringDMA + ReplyWithStringBuffer (AutoMemory)
  tmbench.callget key     RedisModule_Call("GET") + ReplyWithCallReply (AutoMemory)
  get key                 the built-in command, for reference

usage: bench/modules.py [--rounds 11] [--pipelines 1,16] [--value-size 64] [--only dmaget,callget]
"""
import argparse, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from compare import cli, cpu_seconds, free_port, wait_port  # noqa: E402


def bench(port, command, n, pipeline, clients=50):
    """Requests/s of one redis-benchmark run of a full command line."""
    cmd = ["redis-benchmark", "-p", str(port), "-n", str(n), "-c", str(clients), "-P", str(pipeline), "-q", "--csv",
           *command.split()]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = [x.strip('"') for x in line.split(",")]
        if len(parts) >= 2 and parts[0] != "test":
            try:
                return float(parts[1])
            except ValueError:
                pass
    return float("nan")

COMMANDS = {
    "noop": "tmbench.noop",
    "dmaget": "tmbench.dmaget benchkey",
    "callget": "tmbench.callget benchkey",
    "get": "get benchkey",
}


def build_module():
    out = os.path.join(ROOT, "server", "target", "native")
    subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "native"), f"OUT={out}", f"{out}/modules/tmbench.so"],
                   check=True)
    return os.path.join(out, "modules", "tmbench.so")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--value-size", type=int, default=64)
    ap.add_argument("--only", default=",".join(COMMANDS), help="subset of " + ",".join(COMMANDS))
    ap.add_argument("--requests", type=int, default=0, help="requests per round (default 50k at -P 1, 300k else)")
    args = ap.parse_args()

    so = build_module()
    rport, tport = free_port(), free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no",
                              "--logfile", "/dev/null", "--loadmodule", so], stdout=subprocess.DEVNULL)
    trellis = subprocess.Popen([os.path.join(ROOT, "trellis-server"), "--port", str(tport), "--save", "",
                                "--logfile", "/dev/null", "--loadmodule", so], stdout=subprocess.DEVNULL)
    servers = {"redis": (rport, redis), "trellis": (tport, trellis)}
    try:
        for port, proc in servers.values():
            wait_port(port, proc)
        value = "v" * args.value_size
        for port, _ in servers.values():
            cli(port, "set", "benchkey", value)
            got = cli(port, "tmbench.dmaget", "benchkey")
            if got != value:
                sys.exit(f"module not answering on port {port}: {got!r}")
        pipelines = [int(p) for p in args.pipelines.split(",")]
        print(f"# tmbench module in both servers; Trellis / Redis, median of {args.rounds} alternating rounds "
              f"(ratio < 1 means Trellis uses less); value {args.value_size} bytes")
        print(f"{'command':<26}{'P':>3}{'redis rps':>12}{'trellis rps':>13}{'rps ratio':>11}"
              f"{'redis us/req':>14}{'trellis us/req':>16}{'cpu ratio':>11}")
        names = [n for n in args.only.split(",") if n]
        # Warm every command up before measuring any (the JIT compiles the shared paths while
        # the first one runs, which would otherwise count against whichever command is first).
        for name in names:
            for p in pipelines:
                for port, _ in servers.values():
                    bench(port, COMMANDS[name], args.requests or (300_000 if p > 1 else 50_000), p)
        for name in names:
            test = COMMANDS[name]
            for p in pipelines:
                n = args.requests or (300_000 if p > 1 else 50_000)
                for port, _ in servers.values():  # warm-up (JIT), unmeasured
                    bench(port, test, n, p)
                    bench(port, test, n, p)
                rps = {"redis": [], "trellis": []}
                cpu = {"redis": [], "trellis": []}
                for r in range(args.rounds):
                    order = ["redis", "trellis"] if r % 2 == 0 else ["trellis", "redis"]
                    for srv in order:
                        port, proc = servers[srv]
                        c0 = cpu_seconds(proc.pid)
                        rps[srv].append(bench(port, test, n, p))
                        cpu[srv].append((cpu_seconds(proc.pid) - c0) / n * 1e6)
                rps_ratio = statistics.median(t / r for t, r in zip(rps["trellis"], rps["redis"]))
                cpu_ratio = statistics.median(t / r if r > 0 else float("nan")
                                              for t, r in zip(cpu["trellis"], cpu["redis"]))
                print(f"{test[:25]:<26}{p:>3}{statistics.median(rps['redis']):>12.0f}"
                      f"{statistics.median(rps['trellis']):>13.0f}{rps_ratio:>11.2f}"
                      f"{statistics.median(cpu['redis']):>14.2f}{statistics.median(cpu['trellis']):>16.2f}"
                      f"{cpu_ratio:>11.2f}", flush=True)
    finally:
        for _, proc in servers.values():
            proc.terminate()
        for _, proc in servers.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
