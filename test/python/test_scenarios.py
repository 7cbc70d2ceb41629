"""The Python scenarios of docs/scenarios.md (1-12): what the panel must show, from the agent's events reduced by
the real model (the report's tasks and flags, and what the view showed over the run: model_trace.py)."""
import os
import re

from conftest import version_of
from receiver import FIXTURES


def line_of(script, marker):
    with open(os.path.join(FIXTURES, script)) as f:
        for n, text in enumerate(f, 1):
            if marker in text:
                return n
    raise AssertionError("marker %r not in %s" % (marker, script))


def ok(trace):
    assert trace.proc.returncode == 0, trace.proc.stderr
    assert trace.hello["type"] == "hello" and trace.hello["runtime"] == "python"
    assert trace.bye is not None, "no bye at exit"
    assert trace.malformed_events == 0 and trace.errors == [] and trace.malformed == []
    return trace


def test_1_gather_overlaps_and_sequential_does_not(python, traced):
    t = ok(traced(python, "gather_vs_sequential.py"))
    seq, together = t.one("sequential"), t.one("together")
    a, b = t.one("testa"), t.one("testb")
    # sequential awaits: ~4 units (0.1 s each), one after the other; its await line moves testa -> testb
    # (upper bounds only catch a hang: a loaded machine stretches sleeps; the overlap below proves concurrency)
    assert 380 <= seq.endedAt - seq.startedAt < 3000
    lines = [line for _, line in t.awaits(seq)]  # the await lines the view showed it at, in order
    assert lines.index(9) < lines.index(14), seq.seen
    # gather: ~3 units, children overlapping, listed as what `together` awaits
    assert 280 <= together.endedAt - together.startedAt < 3000
    assert a.parent == together.id and b.parent == together.id
    assert sorted(t.awaits(together)[0][0]) == sorted([a.id, b.id])
    assert b.startedAt < a.endedAt and a.startedAt < b.endedAt  # overlapping bars
    assert b.endedAt < a.endedAt and a.state == b.state == "done" and a.result == "'a3'"


def test_2_create_task_then_await_in_order(python, traced):
    t = ok(traced(python, "create_task_order.py"))
    main = t.one("main")
    t1, t2 = sorted(t.named("say_after"), key=lambda x: (x.createdAt, int(x.id)))
    assert t1.parent == t2.parent == main.id
    assert t2.endedAt < t1.endedAt  # t2 (2 units) finishes first
    assert t2.startedAt < t1.endedAt and t1.startedAt < t2.endedAt  # concurrent
    await_t1 = line_of("create_task_order.py", "AWAIT-T1")
    assert ([t1.id], await_t1) in t.awaits(main), main.seen


def test_3_ensure_future_states_and_result_too_early(python, traced):
    t = ok(traced(python, "ensure_future_states.py"))
    compute = t.one("compute")
    assert compute.states[0] == "pending" and "running" in compute.states and compute.states[-1] == "done"
    assert compute.result == "42" and compute.runMs >= 50  # the 60 ms time.sleep ran on the loop
    assert compute.steps and compute.steps[0][1] >= 50  # drawn as a long step on the timeline
    peek = t.one("peek")
    assert peek.state == "failed" and peek.error["type"] == "InvalidStateError"
    flags = t.flags("result-before-done")
    assert flags and flags[0]["location"]["line"] == 14 and flags[0]["task"] == peek.id


def test_4_wait_return_when(python, traced):
    t = ok(traced(python, "wait_return_when.py"))
    main, slow = t.one("main"), t.one("slow_forever")
    fast = [w for w in t.named("work") if w.result == "1"][0]
    assert sorted([fast.id, slow.id]) in [sorted(on) for on, _ in t.awaits(main)]  # waits on both
    assert t.one("fail").state == "failed" and t.one("fail").error["message"] == "'bad 1'" or \
        t.one("fail").error["message"] == "bad 1"
    # still pending after FIRST_COMPLETED returned, then cancelled at asyncio.run shutdown
    assert slow.state == "cancelled" and slow.endedAt >= main.endedAt - 1
    assert fast.endedAt < slow.endedAt


def test_5_executors_threads_processes_and_queueing(python, traced):
    t = ok(traced(python, "executors.py"))
    jobs = sorted(t.of_kind("executor"), key=lambda j: (j.createdAt, int(j.id)))
    assert [j.name for j in jobs] == ["blocking_io"] * 4 + ["cpu_bound", "blocking_io"], jobs
    default, p1, p2, p3, proc, to_thread = jobs
    assert default.thread.startswith("asyncio") and to_thread.thread.startswith("asyncio")
    assert {p1.thread, p2.thread, p3.thread} <= {"pool_0", "pool_1"}
    assert "queued" in p3.states and p3.startedAt >= min(p1.endedAt, p2.endedAt) - 5  # waited for a free worker
    assert p1.startedAt < p3.startedAt and p2.startedAt < p3.startedAt
    assert "Process" in proc.thread and "pid" in proc.thread and proc.state == "done"
    assert all(j.state == "done" and j.parent == t.one("main").id for j in jobs)
    # sleeping or computing in workers never blocks the loop (starting a spawn pool may, on 3.9)
    assert [f for f in t.flags("blocking-call") if f["location"]["function"] in ("blocking_io", "cpu_bound")] == []


def test_6_loop_in_helper_thread(python, traced):
    t = ok(traced(python, "helper_loop_thread.py"))
    loops = t.loops
    assert [l["thread"] for l in loops] == ["loop-thread"]
    job = t.one("job")
    assert job.loop == loops[0]["id"] and job.result == "42"
    assert job.created["line"] == line_of("helper_loop_thread.py", "# SUBMIT")  # linked to the submitting line
    cb = t.one("call_soon_threadsafe(slow_callback)")
    assert cb.created["line"] == line_of("helper_loop_thread.py", "# CALL-SOON") and cb.state == "done"
    flags = t.flags("blocking-call")
    assert len(flags) == 1 and flags[0]["location"]["line"] == line_of("helper_loop_thread.py", "BLOCKS-HELPER")
    # the helper loop was the one blocked: the stall's task is the callback, which ran on it
    assert flags[0]["durationMs"] >= 450 and flags[0]["task"] == cb.id and cb.loop == loops[0]["id"]


def test_7_blocking_calls_in_coroutines(python, traced):
    t = ok(traced(python, "blocking.py"))
    flags = sorted(t.flags("blocking-call"), key=lambda f: f["t"])
    cpu = line_of("blocking.py", "CPU-LOOP")
    assert [f["location"]["line"] for f in flags][0] == line_of("blocking.py", "SLEEP-LINE")
    assert flags[1]["location"]["line"] in (cpu, cpu + 1)  # a line of the loop's body
    assert all(480 <= f["durationMs"] < 3000 for f in flags)  # 500 ms each; a loaded machine may stretch a step
    sleeper = t.one("sleeper")
    assert flags[0]["task"] == sleeper.id and flags[1]["task"] == t.one("cruncher").id
    # One wording with Node's: the real duration, the task, the threshold (the loop and thread are `loop`).
    assert re.match(r"The event loop was blocked for \d+ ms in sleeper \(threshold 100 ms\)", flags[0]["message"]), flags[0]
    # Its stack is the task's own frames, not the module that started the loop.
    assert [s["function"] for s in flags[0]["stack"]] == ["sleeper"]
    # `t` is when the stall ended: [t - dur, t] is the sleeper's running slice (the band over the slice).
    (start, dur), = [s for s in sleeper.steps if s[1] >= 150]
    assert abs(flags[0]["t"] - flags[0]["durationMs"] - start) < 5 and abs(flags[0]["t"] - (start + dur)) < 5, (flags[0], sleeper.steps)


def test_8_never_awaited(python, traced):
    t = ok(traced(python, "never_awaited.py"))
    flags = t.flags("never-awaited")
    assert len(flags) == 1 and "add3" in flags[0]["message"]
    assert flags[0]["location"]["line"] == line_of("never_awaited.py", "NEVER-AWAITED")
    assert "never_awaited.py:12: RuntimeWarning" in t.proc.stderr  # CPython's own warning unchanged


def test_9_lost_exception_and_destroyed_pending(python, traced):
    t = ok(traced(python, "lost_exception.py"))
    boom, coro5 = t.one("boom"), t.one("coro5")
    lost = t.flags("exception-never-retrieved")
    assert len(lost) == 1 and lost[0]["task"] == boom.id and boom.error["type"] == "KeyError"
    assert "failed with KeyError: 'lost' and nobody" in lost[0]["message"]  # type and message, as the details show
    assert lost[0]["location"]["line"] == line_of("lost_exception.py", "FIRE-AND-FORGET")
    destroyed = t.flags("destroyed-pending")
    assert len(destroyed) == 1 and destroyed[0]["task"] == coro5.id
    assert destroyed[0]["location"]["line"] == line_of("lost_exception.py", "DESTROYED-PENDING")
    assert "Task exception was never retrieved" in t.proc.stderr  # asyncio's default handler still ran


def test_10_asyncio_run_inside_a_running_loop(python, traced):
    t = ok(traced(python, "run_in_running_loop.py"))
    flags = t.flags("asyncio-run-in-loop")
    assert len(flags) == 1 and "already running" in flags[0]["message"]
    assert flags[0]["location"]["line"] == line_of("run_in_running_loop.py", "RUN-IN-LOOP")
    threads = sorted(l["thread"] for l in t.loops)
    assert threads == ["MainThread", "worker-thread"]  # asyncio.run in a new thread works: its own loop
    assert "thread result: 1" in t.proc.stdout


def test_11_shield_and_cancel(python, traced):
    t = ok(traced(python, "shield_cancel.py"))
    main, inner, outer = t.one("main"), t.one("inner_work"), t.one("guarded")
    assert outer.state == "cancelled" and inner.state == "done" and inner.endedAt > outer.endedAt
    assert [inner.id] in [on for on, _ in t.awaits(outer)]  # shield's outer stands for the inner task
    assert outer.error and "main" in outer.error["message"]  # who cancelled whom


def test_12_aiohttp_fanout(venv_python, traced):
    t = ok(traced(venv_python, "aiohttp_fanout.py"))
    main = t.one("main")
    fetches = t.named("fetch")
    assert len(fetches) == 15 and all(f.parent == main.id and f.state == "done" for f in fetches)
    gather_line = line_of("aiohttp_fanout.py", "GATHER-15")
    assert max(f.startedAt for f in fetches) < min(f.endedAt for f in fetches)  # all 15 in flight together
    assert any(len(on) == 15 and line == gather_line for on, line in t.awaits(main)), main.seen
    # each shown parked at a line of its own code (not inside aiohttp)
    assert all(any(s["awaitAt"] and s["awaitAt"]["file"].endswith("aiohttp_fanout.py") for s in f.seen) for f in fetches)


def test_12_short_awaits_on_children_are_each_reported(python, traced):
    # The root cause of scenario 12's old intermittent miss: relations were only read at flush time (each task
    # at most every 0.25 s), so an await that ended between two reads was lost. Each of these lasts well under
    # a millisecond; every one must be on the wire, with all its children, at its line. This is about what the
    # agent sends: an await that begins and ends between two flushes is in no delta the view gets (the model
    # keeps a task's current await only), so it is read off the agent's events, the kinds and names off the model.
    t = ok(traced(python, "short_awaits.py"))
    main = t.one("main")
    ticks = {c.id for c in t.children(main) if c.name == "tick"}
    at = lambda marker: line_of("short_awaits.py", marker)
    lines = {ev["id"]: ev["line"] for ev in t.events if ev["e"] == "site"}  # the wire's site table
    awaits = [ev for ev in t.events if ev["e"] == "await"]
    first_on = {}  # a combinator record's inputs: what it awaits first
    for ev in awaits:
        first_on.setdefault(str(ev["id"]), [str(i) for i in ev["on"]])

    def inputs(on):
        return [j for i in map(str, on) for j in (inputs(first_on[i]) if t.tasks[i].kind == "future" else [i])]

    mains = [ev for ev in awaits if str(ev["id"]) == main.id]
    history = [(len(inputs(ev["on"])), lines.get(ev["site"])) for ev in mains]
    assert history.count((15, at("SHORT-GATHER"))) == 3, mains
    assert history.count((1, at("SHORT-AWAIT"))) == 3, mains
    assert history.count((3, at("SHORT-WAIT"))) == 3, mains
    if version_of(python) >= (3, 11):
        assert history.count((4, at("SHORT-TASKGROUP"))) == 3, mains
    assert all(set(inputs(ev["on"])) <= ticks for ev in mains)
    # a combinator is a record of its own between main and the ticks (as Promise.all is in Node)
    through = {t.tasks[str(ev["on"][0])].name for ev in mains
               if len(ev["on"]) == 1 and t.tasks[str(ev["on"][0])].kind == "future"}
    assert through == ({"asyncio.gather", "asyncio.wait", "TaskGroup"} if version_of(python) >= (3, 11)
                       else {"asyncio.gather", "asyncio.wait"}), through
