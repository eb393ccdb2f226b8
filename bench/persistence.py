#!/usr/bin/env python3
"""Persistence: Trellis vs Redis, measured in the same run (DESIGN.md section 7).

Both servers get the same dataset of 1M keys of mixed types (strings small, int-like and big;
lists, hashes, sets, zsets and streams, mostly small, a few big), generated once as RESP and
fed with redis-cli --pipe. Then, alternating the two servers over N rounds:

  save    SAVE: client-side wall time, and the server process's CPU time during it
  load    loading the file at startup: the server's own "DB loaded from disk: X seconds" log
          line, the wall time from exec to the first non-LOADING PING reply, and the process's
          CPU time until then (for Trellis this includes JVM start-up and JIT threads)
  size    size of the RDB file each one wrote
  aof     redis-benchmark -t set throughput with appendonly yes under appendfsync everysec
          and always (fresh servers, warmed up, alternating rounds)

Ratios are Trellis/Redis speed (time ratios are Redis/Trellis, so > 1 means Trellis is faster)
and the median over the rounds is reported, each round's ratio taken within that round.

usage: bench/persistence.py [--keys 1000000] [--rounds 5] [--aof-rounds 7] [--skip-aof] [--skip-rdb]
"""
import argparse, os, random, re, shutil, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from compare import free_port, wait_port, cli, bench, cpu_seconds  # noqa: E402


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def dataset(path, keys, seed=1):
    """Writes the RESP commands building the dataset; returns a per-type key count."""
    rnd = random.Random(seed)
    counts = {}
    big_every = max(1, keys // 20)  # 20 big collections of every kind spread over the keyspace
    with open(path, "wb") as f:
        buf = []
        for i in range(keys):
            r = i % 100
            k = b"key:%d" % i
            big = i % big_every == 0
            n = 2000 if big else rnd.randint(1, 12)
            if r < 50:
                t = "string"
                if r < 10:
                    buf.append(resp(b"SET", k, rnd.randint(0, 10**9)))
                elif r < 12:
                    buf.append(resp(b"SET", k, b"x" * rnd.randint(200, 4000)))  # compressible
                else:
                    buf.append(resp(b"SET", k, rnd.randbytes(rnd.randint(5, 60)).hex()))
                if r % 7 == 0:
                    buf.append(resp(b"PEXPIRE", k, 10**9))
            elif r < 62:
                t = "list"
                buf.append(resp(b"RPUSH", k, *[b"item-%d" % rnd.randint(0, 10**6) for _ in range(n)]))
            elif r < 74:
                t = "hash"
                args = []
                for j in range(n):
                    args += [b"field%d" % j, b"%d" % rnd.randint(0, 10**6) if j % 2 else rnd.randbytes(8).hex().encode()]
                buf.append(resp(b"HSET", k, *args))
            elif r < 84:
                t = "set"
                if r < 78:
                    buf.append(resp(b"SADD", k, *[rnd.randint(0, 10**9) for _ in range(n)]))  # intset
                else:
                    buf.append(resp(b"SADD", k, *[b"m%d" % rnd.randint(0, 10**9) for _ in range(n)]))
            elif r < 94:
                t = "zset"
                args = []
                for j in range(n):
                    args += [b"%.3f" % (rnd.random() * 1000), b"member%d" % j]
                buf.append(resp(b"ZADD", k, *args))
            else:
                t = "stream"
                for j in range(min(n, 200) if big else n):
                    buf.append(resp(b"XADD", k, b"*", b"f", b"%d" % j, b"g", b"value-%d" % rnd.randint(0, 10**6)))
                if big:
                    buf.append(resp(b"XGROUP", b"CREATE", k, b"g1", b"0"))
                    buf.append(resp(b"XREADGROUP", b"GROUP", b"g1", b"c1", b"COUNT", b"50", b"STREAMS", k, b">"))
            counts[t] = counts.get(t, 0) + 1
            if len(buf) >= 10000:
                f.write(b"".join(buf))
                buf.clear()
        f.write(b"".join(buf))
    return counts


class Server:
    def __init__(self, name, workdir, extra=()):
        self.name, self.dir, self.extra = name, os.path.join(workdir, name), list(extra)
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, "server.log")
        self.port, self.proc = free_port(), None

    def start(self):
        exe = "redis-server" if self.name == "redis" else os.path.join(ROOT, "trellis-server")
        args = [exe, "--port", str(self.port), "--dir", self.dir, "--dbfilename", "dump.rdb", "--save", "",
                "--logfile", self.log, "--enable-debug-command", "yes", *self.extra]
        open(self.log, "w").close()
        t0 = time.time()
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        wait_port(self.port, self.proc)
        while True:  # ready = PING answers PONG (not -LOADING)
            if cli(self.port, "ping") == "PONG":
                break
            time.sleep(0.01)
        return time.time() - t0, cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc:
            cli(self.port, "shutdown", "nosave")
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def loaded_seconds(self):
        """The load time the server logged (waits a little: a log may be written after PONG)."""
        deadline = time.time() + 10
        while True:
            with open(self.log, errors="replace") as f:
                m = re.findall(r"DB loaded from disk: ([0-9.]+) seconds", f.read())
            if m or time.time() > deadline:
                return float(m[-1]) if m else float("nan")
            time.sleep(0.05)

    def call(self, *args):
        """Sends one command on a fresh socket; returns (reply first line, seconds, server CPU seconds)."""
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            c0 = cpu_seconds(self.proc.pid)
            t0 = time.time()
            s.sendall(resp(*args))
            data = b""
            while not data.endswith(b"\r\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            wall = time.time() - t0
            return data.decode(errors="replace").strip(), wall, cpu_seconds(self.proc.pid) - c0


def pipe(port, path):
    with open(path, "rb") as f:
        r = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], stdin=f, capture_output=True, text=True)
    if "errors: 0" not in r.stdout:
        sys.exit(f"loading the dataset into port {port} failed: {r.stdout[-500:]} {r.stderr[-500:]}")


def rdb_part(args, work):
    os.makedirs(work, exist_ok=True)
    gen = os.path.join(work, "dataset.resp")
    t0 = time.time()
    counts = dataset(gen, args.keys)
    print(f"# dataset: {args.keys} keys {counts}, {os.path.getsize(gen) / 1e6:.0f} MB of RESP "
          f"(generated in {time.time() - t0:.0f}s)", flush=True)
    servers = {n: Server(n, work) for n in ("redis", "trellis")}
    for s in servers.values():
        s.start()
        pipe(s.port, gen)
        print(f"# {s.name}: dbsize {cli(s.port, 'dbsize')}", flush=True)
    os.remove(gen)
    # warm-up save (Trellis's JIT), unmeasured
    for s in servers.values():
        s.call("SAVE")
    save = {n: [] for n in servers}
    save_cpu = {n: [] for n in servers}
    for r in range(args.rounds):
        order = ["redis", "trellis"] if r % 2 == 0 else ["trellis", "redis"]
        for n in order:
            reply, secs, cpu = servers[n].call("SAVE")
            if reply != "+OK":
                sys.exit(f"{n} SAVE: {reply}")
            save[n].append(secs)
            save_cpu[n].append(cpu)
    size = {n: os.path.getsize(os.path.join(s.dir, "dump.rdb")) for n, s in servers.items()}
    for s in servers.values():
        s.stop()
    load = {n: [] for n in servers}
    ready = {n: [] for n in servers}
    load_cpu = {n: [] for n in servers}
    for r in range(args.rounds):
        order = ["redis", "trellis"] if r % 2 == 0 else ["trellis", "redis"]
        for n in order:
            s = servers[n]
            wall, cpu = s.start()
            ready[n].append(wall)
            load_cpu[n].append(cpu)
            load[n].append(s.loaded_seconds())
            if r == 0:
                print(f"# {n} after load: dbsize {cli(s.port, 'dbsize')}", flush=True)
            s.stop()
    shutil.rmtree(work, ignore_errors=True)

    def ratio(d):
        return statistics.median(rd / tr for rd, tr in zip(d["redis"], d["trellis"]))

    print(f"\n# RDB, median of {args.rounds} alternating rounds; speed ratio = Redis time / Trellis time (>= 1: Trellis as fast or faster)")
    print(f"{'':<22}{'redis':>12}{'trellis':>12}{'speed ratio':>13}")
    def row(label, d):
        print(f"{label:<22}{statistics.median(d['redis']):>12.3f}{statistics.median(d['trellis']):>12.3f}{ratio(d):>13.2f}")

    row("SAVE (s, wall)", save)
    row("SAVE (s, server CPU)", save_cpu)
    row("load (s, log)", load)
    row("start+load (s, wall)", ready)
    row("start+load (s, CPU)", load_cpu)
    if args.verbose:
        for label, d in (("save", save), ("save cpu", save_cpu), ("load log", load), ("load wall", ready), ("load cpu", load_cpu)):
            print(f"#   {label}: redis {[round(x, 2) for x in d['redis']]} trellis {[round(x, 2) for x in d['trellis']]}")
    print(f"{'RDB size (MB)':<22}{size['redis'] / 1e6:>12.1f}{size['trellis'] / 1e6:>12.1f}"
          f"{'':>3}size ratio {size['trellis'] / size['redis']:.3f}", flush=True)


def aof_part(args, work):
    print(f"\n# AOF: redis-benchmark -t set -n {args.aof_requests} -c 50 -P 1, median of {args.aof_rounds} alternating rounds")
    print(f"{'appendfsync':<14}{'redis rps':>12}{'trellis rps':>13}{'rps ratio':>11}{'redis us/req':>14}{'trellis us/req':>16}{'cpu ratio':>11}")
    for policy in ("everysec", "always"):
        servers = {n: Server(n, os.path.join(work, policy), ["--appendonly", "yes", "--appendfsync", policy])
                   for n in ("redis", "trellis")}
        try:
            for s in servers.values():
                s.start()
                bench(s.port, "set", args.aof_requests, 1)  # warm-up
            rps = {n: [] for n in servers}
            cpu = {n: [] for n in servers}
            for r in range(args.aof_rounds):
                order = ["redis", "trellis"] if r % 2 == 0 else ["trellis", "redis"]
                for n in order:
                    c0 = cpu_seconds(servers[n].proc.pid)
                    rps[n].append(bench(servers[n].port, "set", args.aof_requests, 1))
                    cpu[n].append((cpu_seconds(servers[n].proc.pid) - c0) / args.aof_requests * 1e6)
            ratio = statistics.median(t / r for t, r in zip(rps["trellis"], rps["redis"]))
            cratio = statistics.median(t / r for t, r in zip(cpu["trellis"], cpu["redis"]))
            print(f"{policy:<14}{statistics.median(rps['redis']):>12.0f}{statistics.median(rps['trellis']):>13.0f}{ratio:>11.2f}"
                  f"{statistics.median(cpu['redis']):>14.2f}{statistics.median(cpu['trellis']):>16.2f}{cratio:>11.2f}", flush=True)
        finally:
            for s in servers.values():
                s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--aof-rounds", type=int, default=7)
    ap.add_argument("--aof-requests", type=int, default=100_000)
    ap.add_argument("--skip-aof", action="store_true")
    ap.add_argument("--skip-rdb", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="also print every round's figures")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="trellis-persist-bench-")
    try:
        if not args.skip_rdb:
            rdb_part(args, os.path.join(work, "rdb"))
        if not args.skip_aof:
            aof_part(args, os.path.join(work, "aof"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
