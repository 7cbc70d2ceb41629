"""Python children in their own interpreter (multiprocessing spawn / forkserver, subprocess running python) and
forked ones (fork start method, process pools) traced as processes of their own; none with traceChildren false.
Run on the oldest and newest interpreters and the venv's (3.14 made forkserver the default start method)."""
import os
import subprocess
import sys

import pytest

from conftest import INTERPRETERS
from receiver import AGENT_PATH, FIXTURES

pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="POSIX start methods"), pytest.mark.timeout(120)]

_NEWEST = [p for n, p in INTERPRETERS if n.startswith("3.14")] or [INTERPRETERS[-2][1] if len(INTERPRETERS) > 1 else None]
EDGES = sorted({p for p in (INTERPRETERS[0][1], _NEWEST[0], INTERPRETERS[-1][1]) if p})
UNTRACED = {"flushMs": 20, "traceChildren": False}


@pytest.fixture(params=EDGES, ids=lambda p: [n for n, q in INTERPRETERS if q == p][0])
def edge_python(request):
    return request.param


def descends_from(procs, pid, ancestor):
    while pid in procs:
        pid = procs[pid][0]["ppid"]
        if pid == ancestor:
            return True
    return False


@pytest.mark.parametrize("method", ["spawn", "forkserver", "fork"])
def test_multiprocessing_children_and_pool_workers_are_traced(edge_python, method, traced):
    t = traced(edge_python, "mp_children.py", method)
    assert t.proc.returncode == 0, t.proc.stderr
    assert "mp-%s child env True" % method in t.proc.stdout and "pool 42" in t.proc.stdout, t.proc.stdout
    assert "exitcode 5" in t.proc.stdout
    procs = t.processes()
    main_pid = t.hello["pid"]
    assert all(descends_from(procs, pid, main_pid) for pid in procs if pid != main_pid), procs
    assert t.malformed_events == 0 and t.errors == [], t.errors
    for hello, trace in procs.values():
        assert trace.bye is not None, hello
    children = [(h, tr) for h, tr in procs.values() if tr.named("child_work")]
    assert len(children) == 1 and children[0][1].one("child_work").state == "done"
    assert children[0][1].bye["exitCode"] == 5
    workers = [(h, tr) for h, tr in procs.values() if h["pid"] != main_pid and tr.named("pool_job")]
    assert len(workers) == 1, procs
    job = workers[0][1].one("pool_job")
    assert job.kind == "executor" and job.state == "done" and job.startedAt is not None, job
    # seen running live: the view showed it running before it ended (a delta of its own)
    assert "running" in job.states[:-1], job.states
    assert t.one("pool_job").state == "done"  # the parent's item of the job
    assert not [tk for tk in t.tasks.values() if tk.name == "child_work"]  # each process sends its own
    if method == "forkserver":  # the fork server is a process of the program too; its children fork from it
        assert any(descends_from(procs, children[0][0]["pid"], pid) for pid in procs if pid != main_pid)


def test_each_child_says_the_status_it_ended_with(edge_python, traced):
    t = traced(edge_python, "exit_children.py")
    assert t.proc.returncode == 0, t.proc.stderr
    real = {how: int(code) for how, code in (line.rsplit(" ", 1) for line in t.proc.stdout.splitlines())}
    assert real == {"raise": 4, "sys.exit": 5, "message": 1, "exception": 1, "os._exit": 6, "signal": 143,
                    "builtin": 7, "caught": 0, "killed": 137}, t.proc.stdout
    # what the view and the report show: the parent's wait has the last word
    shown = {p["command"][-1]: p["exitCode"] for p in t.report["processes"] if p["pid"] != t.hello["pid"]}
    assert shown == real
    # what each child said itself in its bye
    said = {h["argv"][-1]: (tr.bye or {}).get("exitCode") for pid, (h, tr) in t.processes().items() if pid != t.hello["pid"]}
    real["killed"] = None  # killed from outside: no word of its own
    if tuple(int(x) for x in t.hello["runtimeVersion"].split(".")[:2]) < (3, 12):
        real["raise"] = 0  # no sys.monitoring: a bare `raise SystemExit(n)` is not seen there, only by its parent
    assert said == real


def test_a_process_pool_job_follows_its_job_in_the_submitting_process(edge_python, traced):
    t = traced(edge_python, "pool_jobs.py", "spawn")
    assert t.proc.returncode == 0, t.proc.stderr
    assert "results [1, 2] third cancelled True" in t.proc.stdout and "job 3 ran" not in t.proc.stdout, t.proc.stdout
    first, second, third = (t.one(name) for name in ("first_job", "second_job", "third_job"))
    assert first.states == ["queued", "running", "done"], first.states
    assert second.states == ["queued", "running", "done"], second.states
    # running once the worker took it, after the first (0.5 s), not when the pool put it on its call queue
    assert second.startedAt >= first.startedAt + 400, (first, second)
    assert third.states[-1] == "cancelled" and "running" not in third.states and third.startedAt is None, third.states


@pytest.mark.parametrize("method", ["spawn", "forkserver", "fork"])
def test_multiprocessing_children_untraced_with_trace_children_false(edge_python, method, traced):
    t = traced(edge_python, "mp_children.py", method, config=UNTRACED)
    assert t.proc.returncode == 0, t.proc.stderr
    assert "mp-%s child env False" % method in t.proc.stdout and "exitcode 5" in t.proc.stdout, t.proc.stdout
    assert len(t.connections) == 1 and t.errors == []
    assert t.one("pool_job").state == "done" and not t.named("child_work")


def test_subprocess_python_children_are_traced(edge_python, traced):
    t = traced(edge_python, "subprocess_children.py")
    assert t.proc.returncode == 0, t.proc.stderr
    out = t.proc.stdout
    for line in ("script traced env", "module traced env", "isolated untraced env", "noenv untraced env"):
        assert line in out, out
    assert out.count("exit 3") == 4 and t.proc.stderr == ""
    procs = t.processes()
    main_pid = t.hello["pid"]
    kids = [(h, tr) for pid, (h, tr) in procs.items() if pid != main_pid]
    assert len(kids) == 2, procs  # -I and -E ignore PYTHONPATH: untraced
    for hello, trace in kids:
        assert hello["ppid"] == main_pid and trace.one("in_child").state == "done"
        assert trace.bye["exitCode"] == 3 and trace.errors == [] and trace.malformed_events == 0
    commands = sorted(" ".join(h["argv"][1:]) for h, _ in kids)
    assert commands[0] == "-m child_async module" and commands[1].endswith("child_async.py script"), commands


def test_subprocess_python_children_untraced_with_trace_children_false(edge_python, traced):
    t = traced(edge_python, "subprocess_children.py", config=UNTRACED)
    assert t.proc.returncode == 0, t.proc.stderr
    assert t.proc.stdout.count("untraced no-env") == 4 and t.proc.stdout.count("exit 3") == 4, t.proc.stdout
    assert len(t.connections) == 1


def test_a_child_whose_inspector_is_gone_runs_untraced_and_silent(edge_python):
    # what a child inherits when it starts after the inspection ended (a daemon's child): no line on stderr
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(AGENT_PATH, "site"), AGENT_PATH]),
               ASYNC_INSPECTOR_CHANNEL="unix:/nonexistent/ai.sock", ASYNC_INSPECTOR_TOKEN="t")
    out = subprocess.run([edge_python, os.path.join(FIXTURES, "child_async.py"), "orphan"], env=env, cwd=FIXTURES,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3 and out.stderr == "", out.stderr
    assert out.stdout.startswith("orphan "), out.stdout
