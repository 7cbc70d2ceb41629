"""Python agent benchmarks (not a test). Run: `$(scripts/python-env.sh)/bin/python bench/python/run.py`.

1. tasks100k: 100,000 tasks created and gathered, untraced vs traced (creation sites and blocking
   detection on, as always), median of 5 fresh runs each, wall time and process CPU time.
2. aiohttp: requests/s of an aiohttp server under a bounded loopback load (a client process with a fixed
   number of requests in flight), untraced vs traced, median of 5 interleaved runs; and the server's CPU
   time per 1000 requests (steadier than req/s when the client shares the cores).
The traced runs send everything to a socket sink standing in for the inspector.
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "..", "..", "src", "agents", "python")
PY = sys.executable
REQUESTS = 5000


class Sink(object):
    """Accepts the agent's connection and reads everything (counting lines), like the launcher would."""

    def __init__(self):
        self.path = os.path.join(tempfile.mkdtemp(prefix="ai-bench-"), "s.sock")
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(self.path)
        self.srv.listen(4)
        self.lines = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.srv.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn):
        while True:
            data = conn.recv(1 << 16)
            if not data:
                return
            self.lines += data.count(b"\n")

    def env(self):
        env = dict(os.environ, PYTHONPATH=AGENT, ASYNC_INSPECTOR_CHANNEL="unix:" + self.path,
                   ASYNC_INSPECTOR_TOKEN="bench")
        # Users' interpreters cache the agent's bytecode; without it every run recompiles it (~0.3 s).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env


def command(script, traced):
    return [PY, "-m", "async_inspector", script] if traced else [PY, script]


def tasks100k(runs=5):
    script = os.path.join(HERE, "tasks100k.py")
    results = {False: [], True: []}
    for _ in range(runs):
        for traced in (False, True):
            sink = Sink() if traced else None
            out = subprocess.run(command(script, traced), env=sink.env() if sink else None,
                                 capture_output=True, text=True, check=True).stdout.split()
            results[traced].append((float(out[0]), float(out[1])))
    med = lambda xs: statistics.median(xs)  # noqa: E731
    plain_wall, traced_wall = med([w for w, _ in results[False]]), med([w for w, _ in results[True]])
    plain_cpu, traced_cpu = med([c for _, c in results[False]]), med([c for _, c in results[True]])
    return plain_wall, traced_wall, plain_cpu, traced_cpu


def aiohttp_rps(traced, requests=REQUESTS, concurrency=32):
    """(requests/s seen by the client, server CPU seconds per 1000 requests)."""
    sink = Sink() if traced else None
    server = subprocess.Popen(command(os.path.join(HERE, "aiohttp_server.py"), traced), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=sink.env() if sink else None)
    try:
        port = int(server.stdout.readline())
        cpu0 = _cpu(server.pid)
        out = subprocess.run([PY, os.path.join(HERE, "aiohttp_load.py"), str(port), str(requests), str(concurrency)],
                             capture_output=True, text=True, check=True).stdout
        return float(out), (_cpu(server.pid) - cpu0) * 1000.0 / requests
    finally:
        server.stdin.close()
        server.wait(30)


def _cpu(pid):
    """CPU seconds (user + system) a running process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    print("python %s, %d cores" % (sys.version.split()[0], os.cpu_count()))
    pw, tw, pc, tc = tasks100k()
    print("| workload | untraced | traced | ratio |")
    print("|---|---|---|---|")
    print("| 100k tasks created + gathered, wall (median of 5) | %.3f s | %.3f s | %.2fx |" % (pw, tw, tw / pw))
    print("| 100k tasks created + gathered, process CPU (median of 5) | %.3f s | %.3f s | %.2fx |" % (pc, tc, tc / pc))
    runs = [(aiohttp_rps(False), aiohttp_rps(True)) for _ in range(5)]
    prps, pcpu = statistics.median(p[0] for p, _ in runs), statistics.median(p[1] for p, _ in runs)
    trps, tcpu = statistics.median(t[0] for _, t in runs), statistics.median(t[1] for _, t in runs)
    print("| aiohttp server, %d requests, 32 in flight: client req/s (median of 5) | %.0f | %.0f | %.1f%% loss |"
          % (REQUESTS, prps, trps, 100.0 * (prps - trps) / prps))
    print("| aiohttp server CPU per 1000 requests (median of 5) | %.3f s | %.3f s | %.2fx |" % (pcpu, tcpu, tcpu / pcpu))


if __name__ == "__main__":
    main()
