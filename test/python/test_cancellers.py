"""Who cancelled each task: the task, thread or callback that called cancel(), at which line (cancels.py)."""
from test_scenarios import line_of


def test_the_canceller_and_its_line(python, traced):
    t = traced(python, "cancellers.py")
    assert t.proc.returncode == 0 and t.errors == [], t.proc.stderr
    main = t.one("main")

    def err(name):
        (task,) = [x for x in t.tasks.values() if x.name == name or (x.name or "").startswith(name + " ")]
        assert task.state == "cancelled", task
        return task.error or {}

    for name, mark in (("by_task", "CANCEL-TASK"), ("outer", "CANCEL-OUTER"), ("inner", "CANCEL-OUTER")):
        e = err(name)
        assert "cancelled by task 'main' (#%s) at cancellers.py:%d" % (main.id, line_of("cancellers.py", mark)) \
            in e["message"], (name, e)
        assert e["stack"][0]["line"] == line_of("cancellers.py", mark), e
    e = err("by_thread")
    assert "callback 'Task.cancel'" in e["message"], e  # the call_soon_threadsafe item, made on that line
    assert "cancelled by a callback" in err("by_timer")["message"]
    for timed in t.named("timeout_victim"):  # 3.9-3.11: a task of wait_for's, cancelled by it
        assert "cancelled by task 'timed'" in timed.error["message"], timed.error
    assert "_cancel_all_tasks" in err("left")["message"]  # asyncio.run() at shutdown


def test_the_canceller_on_uvloop(venv_python, traced):
    t = traced(venv_python, "cancellers_uvloop.py")
    assert t.proc.returncode == 0 and t.errors == [], t.proc.stderr
    main, line = t.one("main"), line_of("cancellers_uvloop.py", "CANCEL-UV")
    for task in (x for x in t.tasks.values() if x.name in ("outer", "inner")):
        assert task.state == "cancelled"
        assert "cancelled by task 'main' (#%s) at cancellers_uvloop.py:%d" % (main.id, line) in task.error["message"]
