"""What tracing child processes costs (not a test).

start-up: CHILDREN children started one after another by children_start.py — `fork` (os.fork + os._exit) and
`spawn` (a multiprocessing spawn Process running a no-op) — plain vs traced through the CLI; ms per child.
uvicorn: `uvicorn workers_app:app --workers 2` (test/fixtures/python/servers) plain vs through the CLI, with
aiohttp_load.py keeping CONCURRENCY requests in flight for REQUESTS requests: client req/s, and the CPU of the
server's processes (the master and its workers, from /proc) per 1000 requests — steadier than req/s on a loaded
machine — plus, traced, the CLI's (launcher + model). Medians of RUNS interleaved pairs; the load average is
printed with them.
Run: `$(scripts/python-env.sh)/bin/python bench/python/children.py [runs] [children] [requests] [concurrency] [workers]`
(build first: `node scripts/build.mjs`).
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from fastapi_cli import under_load
from run import _cpu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
CLI = os.path.join(ROOT, "dist", "cli.js")
APP_DIR = os.path.join(ROOT, "test", "fixtures", "python", "servers")
PY = sys.executable
BIN = os.path.dirname(PY)


def cli(traced, cmd):
    return ["node", CLI, "run", "--"] + cmd if traced else cmd


def startup(traced, mode, children):
    """(wall ms, children's CPU ms) per child."""
    out = subprocess.run(cli(traced, [PY, os.path.join(HERE, "children_start.py"), mode, str(children)]),
                         capture_output=True, text=True, check=True).stdout
    wall, cpu = out.split()[:2]
    return float(wall), float(cpu)


def tree_cpu(root):
    """CPU seconds of `root` and every process below it."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    pids, total = [root], 0.0
    while pids:
        pid = pids.pop()
        try:
            total += _cpu(pid)
        except OSError:
            continue
        pids.extend(p for p, pp in parents.items() if pp == pid)
    return total


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uvicorn(traced, requests, concurrency, workers):
    port = free_port()
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.Popen(cli(traced, ["uvicorn", "workers_app:app", "--workers", str(workers), "--port", str(port),
                                         "--log-level", "warning"]),
                            cwd=APP_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                pid, ppid = urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=2).read().split()
                master = int(ppid) if workers > 1 else int(pid)  # with 1, uvicorn serves in its own process
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        time.sleep(1.0)  # both workers up
        result = under_load(port, requests, concurrency, lambda: tree_cpu(master), proc.pid if traced else None)
        os.kill(master, signal.SIGTERM)
        proc.wait(timeout=60)
        return result
    finally:
        if proc.poll() is None:
            proc.kill()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    children = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    concurrency = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    print("python %s, %d cores, load average %s, median of %d" % (
        sys.version.split()[0], os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg()), runs))
    print("| start-up per child (%d one after another) | untraced | traced (CLI) | cost per child |" % children)
    print("|---|---|---|---|")
    for mode in ("fork", "spawn"):
        pairs = [(startup(False, mode, children), startup(True, mode, children)) for _ in range(runs)]
        for i, what in ((0, "wall"), (1, "children's CPU")):
            plain, traced = statistics.median(p[0][i] for p in pairs), statistics.median(p[1][i] for p in pairs)
            print("| %s, %s | %.1f ms | %.1f ms | +%.1f ms |" % (mode, what, plain, traced, traced - plain))
    pairs = [(uvicorn(False, requests, concurrency, workers), uvicorn(True, requests, concurrency, workers))
             for _ in range(runs)]
    med = lambda i, j: statistics.median(p[i][j] for p in pairs)  # noqa: E731
    plain, traced = med(0, 0), med(1, 0)
    print("\n| uvicorn --workers %d, %d requests, %d in flight | untraced | traced (CLI) | |" % (
        workers, requests, concurrency))
    print("|---|---|---|---|")
    print("| client req/s | %.0f | %.0f | %.1f%% loss |" % (plain, traced, 100.0 * (plain - traced) / plain))
    print("| server CPU (master + workers) per 1000 requests | %.3f s | %.3f s | %.2fx |" % (
        med(0, 1), med(1, 1), med(1, 1) / med(0, 1)))
    print("| CLI (launcher + model) CPU per 1000 requests | — | %.3f s | |" % med(1, 2))
    print("load average after: %s" % " ".join("%.1f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
