"""The flags the agent raises itself, at the exact line each fixture in test/fixtures/python/flags/ marks
with `# expect: <kind>`, on every interpreter: never-awaited at the creating call, live deadlocks,
pending-at-exit when asyncio.run() shuts down, destroyed-pending, and quiet programs that must raise none.
(The full precision/recall run over every fixture, through the CLI and the model, is test/flags/.)"""
import os
import re

import pytest

from conftest import version_of
from receiver import FIXTURES

FLAGS = os.path.join(FIXTURES, "flags")
# Kept lean: the kinds and quiet cases this suite owns (the seed fixtures run in test/flags/ as well).
CASES = ["never_awaited_call_sites.py", "deadlock_futures_cycle.py", "deadlock_tasks_await_each_other.py",
         "deadlock_queue_no_producer.py", "deadlock_lock_reentered.py",
         "deadlock_behind_join.py", "deadlock_lock_order_serving.py", "deadlock_event_queue_serving.py",
         "deadlock_semaphore_future_serving.py",
         "quiet_locks_serving.py", "deadlock_behind_future_result.py", "deadlock_behind_thread_lock.py",
         "pending_at_exit_asyncio_run.py", "seed_destroyed_pending.py",
         "deadlock_through_gather.py", "deadlock_through_wait.py", "deadlock_through_taskgroup.py",
         "quiet_wait_fed.py", "quiet_wait_executors.py", "quiet_wait_threads.py", "quiet_background_set.py", "quiet_pending_after_crash.py"]
EXIT_CODES = {"quiet_pending_after_crash.py": 3}


def expected(script):
    with open(os.path.join(FLAGS, script)) as f:
        text = f.read()
    want = {(m.group(1), n) for n, line in enumerate(text.splitlines(), 1)
            for m in [re.search(r"#\s*expect:\s*([\w-]+)", line)] if m}
    timeout = re.search(r"inspector-args:.*--timeout\s+(\d+)", text)
    return want, float(timeout.group(1)) if timeout else None


# Known gaps: (script, first version) -> why. Strict: once the agent does it, the test says so.
KNOWN_GAPS = {}
NEEDS = {"deadlock_through_taskgroup.py": (3, 11)}  # asyncio.TaskGroup
# Stuck chains read through the combinator between main and the stuck tasks (one flag per chain, none at main).
THROUGH = {"deadlock_through_gather.py": "main (Task-1) → asyncio.gather → ",
           "deadlock_through_wait.py": "main (Task-1) → asyncio.wait → ",
           "deadlock_through_taskgroup.py": "main (Task-1) → TaskGroup → "}


@pytest.mark.parametrize("script", CASES)
def test_flags_at_the_expected_lines(python, traced, script, request):
    if version_of(python) < NEEDS.get(script, (0,)):
        pytest.skip("needs Python %d.%d" % NEEDS[script])
    for (gap, since), why in KNOWN_GAPS.items():
        if gap == script and version_of(python) >= since:
            request.node.add_marker(pytest.mark.xfail(reason=why, strict=True))
    want, kill_after = expected(script)
    # None of these cases is about blocking calls: a threshold that scheduling delays on a loaded machine do
    # not reach (a step of a few ms can take 100+ ms of wall time there), still far below the 1 s holds that
    # must not count as the loop's (work in threads and processes).
    config = None if any(kind == "blocking-call" for kind, _ in want) else {"flushMs": 20, "blockThresholdMs": 500}
    path = os.path.join(FLAGS, script)
    flagged = lambda t: {(f["kind"], f["location"]["line"]) for f in t.findings
                         if f["location"] and f["location"]["file"] == path}
    kill_when = None
    if kill_after is not None and want:
        # A program that hangs on purpose is stopped once every expected flag has arrived, with a deadline
        # far past its --timeout: a loaded machine (or a slow-starting interpreter) may need longer.
        kill_when, kill_after = (lambda t: want <= flagged(t)), max(kill_after, 30)
    t = traced(python, "flags/" + script, kill_after=kill_after, config=config, kill_when=kill_when)
    assert t.errors == [] and t.malformed_events == 0, t.errors
    if kill_after is None:
        assert t.proc.returncode == EXIT_CODES.get(script, 0), t.proc.stderr
    got = flagged(t)
    assert got == want, "\n".join(sorted("%s at line %d" % k for k in got ^ want))
    for f in t.findings:
        if f["kind"] in ("deadlock", "pending-at-exit"):  # the task is named, the stack starts at the line
            assert f["task"] is not None and f["stack"][0] == f["location"]
            assert "nothing can ever wake" in f["message"] or "nothing could ever have woken" in f["message"]
        if script in THROUGH:
            assert "; chain: " + THROUGH[script] in f["message"], f["message"]
        if script == "deadlock_lock_order_serving.py":  # which task holds the lock each one waits for
            assert "held by task audit" in f["message"] or "held by task transfer" in f["message"], f["message"]


def test_deadlock_is_reported_live_and_the_program_keeps_running(python, traced):
    # Killed half a second after the flag arrives (30 s at most): still running then, so it was reported live.
    t = traced(python, "flags/deadlock_event_nobody_sets.py", kill_after=30, kill_when=lambda t: t.flags("deadlock"))
    assert t.proc.returncode == -9, "the agent must not stop a deadlocked program"
    (flag,) = t.flags("deadlock")
    assert flag["t"] < 15000 and "Event.wait" in flag["message"] and "main" in flag["message"]


def test_never_awaited_names_the_call_and_keeps_the_warning(python, traced):
    t = traced(python, "flags/never_awaited_call_sites.py")
    names = sorted(f["message"].split("'")[1] for f in t.flags("never-awaited"))
    assert names == ["fetch", "notify", "store"]
    assert t.proc.stderr.count("RuntimeWarning: coroutine") == 3  # CPython's own warnings unchanged


def test_a_writer_thread_that_cannot_start_does_not_break_exit(python):
    from receiver import run_traced

    prelude = ("import threading\norig = threading.Thread.start\n"
               "def start(self):\n"
               "    if self.name == 'async-inspector-writer': raise RuntimeError(\"can't start new thread\")\n"
               "    return orig(self)\n"
               "threading.Thread.start = start")
    t = run_traced(python, "run_in_running_loop.py", prelude=prelude)
    assert t.proc.returncode == 0 and "cannot join thread" not in t.proc.stderr, t.proc.stderr
    assert "thread result: 1" in t.proc.stdout and t.bye is not None  # everything sent by the exit flush
    assert t.flags("asyncio-run-in-loop")


def test_uvloop_stalls_found_by_the_heartbeat(venv_python, traced):
    want, _ = expected("blocking_uvloop.py")
    t = traced(venv_python, "flags/blocking_uvloop.py")
    assert t.proc.returncode == 0 and t.errors == [], t.proc.stderr
    got = {(f["kind"], f["location"]["line"]) for f in t.findings}
    assert got == want, got
    assert all(150 <= f["durationMs"] <= 2000 for f in t.findings), [f["durationMs"] for f in t.findings]
