#!/usr/bin/env python3
"""Trellis vs Redis, measured in the same run (DESIGN.md section 7).

Starts Debian's redis-server and ./trellis-server side by side, warms both up, then for each
test alternates the two servers over N short rounds of redis-benchmark and reports the median
of the per-round ratios (Trellis / Redis) of throughput and of server CPU time per request
(from /proc/PID/stat). Then DEBUG POPULATE 1000000 on both for bytes per key.

usage: bench/compare.py [--rounds 15] [--tests set,get,incr,mset] [--no-memory]
       bench/compare.py --commands "XADD s * f v;..."   (arbitrary commands, semicolon-separated)
       bench/compare.py --types          (the data type set: lpush,lpop,sadd,hset,zadd, XADD,
                                          ZRANGEBYSCORE on a 1000-member zset, and memory per
                                          element of 1M-element list/hash/set/zset)
"""
import argparse, os, socket, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HZ = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=900):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"server on port {port} did not start")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ  # utime + stime


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True).stdout.strip()


def info_field(port, field):
    for line in cli(port, "info", "memory").splitlines():
        if line.startswith(field + ":"):
            return int(line.split(":")[1])
    return 0


def bench(port, test, n, pipeline, clients=50):
    """Runs one redis-benchmark test; test is a -t name or a full command line."""
    cmd = ["redis-benchmark", "-p", str(port), "-n", str(n), "-c", str(clients), "-P", str(pipeline), "-q", "--csv"]
    if " " in test:
        cmd += ["-r", "100000", *test.split()]
    else:
        cmd += ["-t", test]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = [p.strip('"') for p in line.split(",")]
        if len(parts) >= 2 and parts[0] != "test":
            try:
                return float(parts[1])
            except ValueError:
                pass
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--tests", default="set,get,incr,mset")
    ap.add_argument("--commands", default="", help="semicolon-separated full commands, e.g. 'LPUSH mylist __rand_int__'")
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--populate", type=int, default=1_000_000)
    ap.add_argument("--type-memory", action="store_true",
                    help="also measure memory per element of 1M-element list, hash, set, zset")
    ap.add_argument("--setup", default="",
                    help="semicolon-separated commands run once on both servers before the tests "
                         "(redis-benchmark -n 5000 -r 1000, so __rand_int__ fills a key)")
    ap.add_argument("--types", action="store_true",
                    help="preset: the data type commands and memory per element (see usage)")
    args = ap.parse_args()
    if args.types:
        args.tests = "lpush,lpop,sadd,hset,zadd"
        args.commands = ";".join(c for c in [args.commands] + TYPE_COMMANDS if c)
        args.setup = ";".join(c for c in [args.setup] + TYPE_SETUP if c)
        args.no_memory = True
        args.type_memory = True

    rport, tport = free_port(), free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no",
                              "--enable-debug-command", "yes", "--logfile", "/dev/null"], stdout=subprocess.DEVNULL)
    trellis = subprocess.Popen([os.path.join(ROOT, "trellis-server"), "--port", str(tport), "--save", "",
                                "--enable-debug-command", "yes", "--logfile", "/dev/null"], stdout=subprocess.DEVNULL)
    servers = {"redis": (rport, redis), "trellis": (tport, trellis)}
    try:
        for port, proc in servers.values():
            wait_port(port, proc)
        for fill in [f for f in args.setup.split(";") if f]:
            for port, _ in servers.values():
                subprocess.run(["redis-benchmark", "-p", str(port), "-n", "5000", "-r", "1000", "-c", "10", "-q",
                                *fill.split()], capture_output=True)
        tests = [t for t in args.tests.split(",") if t] + [c for c in args.commands.split(";") if c]
        pipelines = [int(p) for p in args.pipelines.split(",")]
        print(f"# Trellis / Redis, median of {args.rounds} alternating rounds (ratio < 1 means Trellis uses less)")
        print(f"{'test':<28}{'P':>3}{'redis rps':>12}{'trellis rps':>13}{'rps ratio':>11}"
              f"{'redis us/req':>14}{'trellis us/req':>16}{'cpu ratio':>11}")
        for test in tests:
            for p in pipelines:
                n = 300_000 if p > 1 else 50_000
                for port, _ in servers.values():  # warm-up (JIT), unmeasured
                    bench(port, test, n, p)
                rps = {"redis": [], "trellis": []}
                cpu = {"redis": [], "trellis": []}
                for r in range(args.rounds):
                    order = ["redis", "trellis"] if r % 2 == 0 else ["trellis", "redis"]
                    for name in order:
                        port, proc = servers[name]
                        c0 = cpu_seconds(proc.pid)
                        rps[name].append(bench(port, test, n, p))
                        cpu[name].append((cpu_seconds(proc.pid) - c0) / n * 1e6)
                rps_ratio = statistics.median(t / r for t, r in zip(rps["trellis"], rps["redis"]))
                cpu_ratio = statistics.median(t / r if r > 0 else float("nan") for t, r in zip(cpu["trellis"], cpu["redis"]))
                print(f"{test[:27]:<28}{p:>3}{statistics.median(rps['redis']):>12.0f}{statistics.median(rps['trellis']):>13.0f}"
                      f"{rps_ratio:>11.2f}{statistics.median(cpu['redis']):>14.2f}{statistics.median(cpu['trellis']):>16.2f}"
                      f"{cpu_ratio:>11.2f}", flush=True)
        if not args.no_memory:
            print(f"\n# memory: DEBUG POPULATE {args.populate}")
            for name, (port, proc) in servers.items():
                cli(port, "flushall")
                cli(port, "memory", "purge")
                time.sleep(0.5)
                rss0, used0 = rss_bytes(proc.pid), info_field(port, "used_memory")
                out = cli(port, "debug", "populate", str(args.populate))
                cli(port, "memory", "purge")
                time.sleep(1.0)
                rss1, used1 = rss_bytes(proc.pid), info_field(port, "used_memory")
                print(f"{name:<8} populate={out:<6} bytes/key: used_memory {(used1 - used0) / args.populate:7.1f}"
                      f"   rss {(rss1 - rss0) / args.populate:7.1f}")
        if args.type_memory:
            type_memory(servers)
    finally:
        for _, proc in servers.values():
            proc.terminate()
        for _, proc in servers.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


# The --types preset: commands beyond redis-benchmark's -t set, and what they need to read.
TYPE_COMMANDS = ["XADD bench:stream * field value", "ZRANGEBYSCORE bench:zset 100 120"]
TYPE_SETUP = ["ZADD bench:zset __rand_int__ m:__rand_int__"]

TYPE_FILLS = {
    # type: (fill command for redis-benchmark -r 1000000, command that counts elements)
    "list": ("RPUSH biglist __rand_int__", ["LLEN", "biglist"]),
    "hash": ("HSET bighash f:__rand_int__ __rand_int__", ["HLEN", "bighash"]),
    "set": ("SADD bigset m:__rand_int__", ["SCARD", "bigset"]),
    "zset": ("ZADD bigzset __rand_int__ m:__rand_int__", ["ZCARD", "bigzset"]),
}


def type_memory(servers):
    """Bytes per element of one big collection per type (used_memory delta / elements)."""
    print("\n# memory per element, one collection of ~1M elements (used_memory delta)")
    ratios = {}
    for typ, (fill, count) in TYPE_FILLS.items():
        per = {}
        for name, (port, proc) in servers.items():
            cli(port, "flushall")
            cli(port, "memory", "purge")
            time.sleep(0.3)
            used0 = info_field(port, "used_memory")
            subprocess.run(["redis-benchmark", "-p", str(port), "-n", "1500000", "-r", "1000000", "-c", "20",
                            "-P", "64", "-q", *fill.split()], capture_output=True)
            cli(port, "memory", "purge")
            time.sleep(0.5)
            used1 = info_field(port, "used_memory")
            try:
                n = int(cli(port, *count) or 0)
            except ValueError:
                n = 0  # the type is not implemented on this server yet
            per[name] = (used1 - used0) / n if n else float("nan")
        ratios[typ] = per["trellis"] / per["redis"]
        print(f"{typ:<6} redis {per['redis']:7.1f} B/elem   trellis {per['trellis']:7.1f} B/elem   ratio {ratios[typ]:.2f}")


if __name__ == "__main__":
    main()
