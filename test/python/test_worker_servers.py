"""Servers with worker processes through the CLI, as users run them: `async-inspector run -- uvicorn app --workers 2`
(also `python -m uvicorn`) and gunicorn with uvicorn workers. Under a bounded loopback load both workers' tasks are
in the report under their pids, the blocking call planted in one handler is flagged in the worker that ran it, and
every process stays listed with its exit code after it ended. Needs the venv (uvicorn, gunicorn) and dist/."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import has_module
from receiver import FIXTURES, ROOT

APP_DIR = os.path.join(FIXTURES, "servers")
CLI = os.path.join(ROOT, "dist", "cli.js")
BIN = os.path.dirname(sys.executable)
REQUESTS, IN_FLIGHT = 120, 4
# The workers stop on their supervisor's SIGTERM (uvicorn's and gunicorn's), then uvicorn's server raises it again
# at itself: they die of it, 128 + 15.
WORKER_EXIT = 143

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX servers"),
    pytest.mark.skipif(not os.path.isfile(CLI) or not shutil.which("node"), reason="node scripts/build.mjs first"),
    pytest.mark.skipif(not (has_module(sys.executable, "uvicorn") and has_module(sys.executable, "gunicorn")),
                       reason="run pytest with the venv from scripts/python-env.sh (uvicorn, gunicorn)"),
    pytest.mark.timeout(240),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=10):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=timeout) as r:
        pid, ppid = r.read().decode().split()
        return int(pid), int(ppid)


def load(port, deadline):
    """REQUESTS requests, IN_FLIGHT at a time (a new connection each, so both workers accept some), until both
    workers answered; {worker pid: answers}, the master's pid."""
    seen, lock, left = {}, threading.Lock(), [REQUESTS]

    def client():
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0 and len(set(seen) - {"master"}) >= 2:
                    return
                left[0] -= 1
            pid, ppid = get(port, "/")
            with lock:
                seen[pid] = seen.get(pid, 0) + 1
                seen["master"] = ppid

    threads = [threading.Thread(target=client) for _ in range(IN_FLIGHT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    master = seen.pop("master")
    return seen, master


def serve(tmp_path, command, options=()):
    """Runs `command` (with {port}) under the CLI (with `options`); loads it, plants one blocking request, stops the
    master with SIGTERM. Returns (report, the pid that served /block, pids under load, the CLI's output)."""
    port = free_port()
    report = str(tmp_path / "report.json")
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    cli = subprocess.Popen(["node", CLI, "run", "--json", report] + list(options) + ["--"] +
                           [a.format(port=port) for a in command],
                           cwd=APP_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get(port, "/", timeout=2)
                break
            except OSError:
                assert cli.poll() is None and time.monotonic() < deadline, cli.communicate()
                time.sleep(0.2)
        served, master = load(port, deadline)
        blocked_pid, _ = get(port, "/block")
        time.sleep(0.3)  # the worker's next flush carries the flag (flushMs 50)
        os.kill(master, signal.SIGTERM)
        out, err = cli.communicate(timeout=90)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate()
    with open(report) as f:
        return json.load(f), blocked_pid, served, out + err


def prefix_of(task_id):
    head, sep, _ = (task_id or "").partition(":")
    return head + sep if sep else ""


def check(report, blocked_pid, served, output):
    assert report["exitCode"] == 0, output
    procs = {p["pid"]: p for p in report["processes"]}
    master = procs[report["processes"][0]["pid"]]
    workers = [p for p in procs.values() if p["parentPid"] == master["pid"] and p["tasks"] > 0]
    assert len(workers) == 2 and set(served) == {w["pid"] for w in workers}, (procs, served)
    assert blocked_pid in served
    assert master["exitCode"] == 0, master
    for w in workers:  # every process ended and stays listed, with its exit code
        assert w["exitCode"] == WORKER_EXIT, (w, output[-3000:].replace("\n", " | "))
    tasks_by_prefix = {}
    for t in report["tasks"]:
        tasks_by_prefix.setdefault(prefix_of(t["id"]), []).append(t)
    for w in workers:  # each worker's request tasks under its pid
        requests = [t for pre in w["idPrefixes"] for t in tasks_by_prefix.get(pre, []) if "run_asgi" in t["name"]]
        assert requests, (w, output)
    blocks = [f for f in report["flags"] if f["kind"] == "blocking-call"
              and (f.get("location") or {}).get("file", "").endswith("workers_app.py")]
    assert blocks, (report["flags"], output)
    for f in blocks:  # flagged in the worker that ran it, at the planted line
        assert f["location"]["line"] == 11, f
        owner = [p for p in procs.values() if prefix_of(f["task"]) in p["idPrefixes"]]
        assert [p["pid"] for p in owner] == [blocked_pid], (f, procs)


def test_uvicorn_with_two_workers(tmp_path):
    check(*serve(tmp_path, ["uvicorn", "workers_app:app", "--workers", "2", "--port", "{port}"]))


def test_python_m_uvicorn_with_two_workers(tmp_path):
    check(*serve(tmp_path, [sys.executable, "-m", "uvicorn", "workers_app:app", "--workers", "2", "--port", "{port}"]))


def test_gunicorn_with_uvicorn_workers(tmp_path):
    check(*serve(tmp_path, ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-w", "2", "-b", "127.0.0.1:{port}",
                            "workers_app:app"]))


def test_no_children_traces_only_the_master(tmp_path):
    report, blocked_pid, served, output = serve(
        tmp_path, ["uvicorn", "workers_app:app", "--workers", "2", "--port", "{port}"], ["--no-children"])
    assert report["exitCode"] == 0 and len(served) == 2, output[-2000:]
    assert "processes" not in report or [p["pid"] for p in report["processes"]] == [report["processes"][0]["pid"]]
    assert not [t for t in report["tasks"] if "run_asgi" in t["name"]]  # the workers ran untraced
    assert not [f for f in report["flags"] if f["kind"] == "blocking-call"]
