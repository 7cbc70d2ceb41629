"""FastAPI/uvicorn (uvloop, httptools) under load, untraced vs traced through the CLI (not a test).

As a user would run it: `async-inspector run -- python fastapi_server.py`, so the launcher and the model
ingest on the same cores as the server. A client process keeps CONCURRENCY requests in flight
(aiohttp_load.py) for REQUESTS requests; median of RUNS interleaved pairs: client req/s, the server's CPU
per 1000 requests and, traced, the CLI's (launcher + model) CPU per 1000 requests.
Run: `$(scripts/python-env.sh)/bin/python bench/python/fastapi_cli.py [runs] [requests] [concurrency]`
(build first: `node scripts/build.mjs`).
"""
import os
import statistics
import subprocess
import sys
import urllib.request

from run import _cpu

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.path.join(HERE, "..", "..", "dist", "cli.js")
PY = sys.executable


def once(traced, requests, concurrency):
    server = [PY, os.path.join(HERE, "fastapi_server.py")]
    cmd = ["node", CLI, "run", "--"] + server if traced else server
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port, pid = (int(x) for x in proc.stdout.readline().split())
        result = under_load(port, requests, concurrency, lambda: _cpu(pid), proc.pid if traced else None)
        urllib.request.urlopen("http://127.0.0.1:%d/stop" % port).read()
        proc.communicate(timeout=60)
        return result
    finally:
        if proc.poll() is None:
            proc.kill()


def under_load(port, requests, concurrency, server_cpu, cli_pid):
    """aiohttp_load.py against the port: (client req/s, server CPU s per 1000 requests, CLI CPU s per 1000)."""
    cpu0, cli0 = server_cpu(), _cpu(cli_pid) if cli_pid else 0.0
    out = subprocess.run([PY, os.path.join(HERE, "aiohttp_load.py"), str(port), str(requests), str(concurrency)],
                         capture_output=True, text=True, check=True).stdout
    cpu, cli = server_cpu() - cpu0, (_cpu(cli_pid) - cli0) if cli_pid else 0.0
    return float(out), cpu * 1000.0 / requests, cli * 1000.0 / requests


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    pairs = [(once(False, requests, concurrency), once(True, requests, concurrency)) for _ in range(runs)]
    med = lambda i, j: statistics.median(p[i][j] for p in pairs)  # noqa: E731
    plain, traced = med(0, 0), med(1, 0)
    print("python %s, %d cores, %d requests, %d in flight, median of %d" % (
        sys.version.split()[0], os.cpu_count(), requests, concurrency, runs))
    print("| FastAPI/uvicorn (uvloop, httptools) | untraced | traced (CLI) | |")
    print("|---|---|---|---|")
    print("| client req/s | %.0f | %.0f | %.2fx fewer (%.1f%% loss) |" % (plain, traced, plain / traced,
                                                                      100.0 * (plain - traced) / plain))
    print("| server CPU per 1000 requests | %.3f s | %.3f s | %.2fx |" % (med(0, 1), med(1, 1), med(1, 1) / med(0, 1)))
    print("| CLI (launcher + model) CPU per 1000 requests | — | %.3f s | |" % med(1, 2))


if __name__ == "__main__":
    main()
