"""User task factories and exception handlers, late names, eager tasks, several loops, uvloop, storms."""
import pytest

from conftest import version_of


def test_user_factory_and_handler_stay_in_force(python, traced):
    t = traced(python, "factories_handlers.py")
    assert t.proc.returncode == 0, t.proc.stderr
    assert "factory saw: ['BaseEventLoop.shutdown_asyncgens', 'BaseEventLoop.shutdown_default_executor', " \
           "'boom', 'later_named', 'quick']" in t.proc.stdout
    assert "handler saw: ['Task exception was never retrieved']" in t.proc.stdout
    assert t.flags("exception-never-retrieved")[0]["task"] == t.one("boom").id  # seen, handler still called
    assert t.one("later_named").name == "renamed-later (later_named)"  # set_name after create_task
    assert any(x.name == "named-at-creation (quick)" for x in t.named("quick"))
    assert len(t.loops) == 2  # asyncio.run, then new_event_loop + run_until_complete
    assert t.errors == [] and t.malformed_events == 0


def test_eager_tasks_done_at_creation(python, traced):
    if version_of(python) < (3, 12):
        pytest.skip("eager task factory is 3.12+")
    t = traced(python, "factories_handlers.py")
    assert "eager: (True, 5)" in t.proc.stdout
    eager = [x for x in t.named("quick") if x.name.startswith("eager-child")]
    assert len(eager) == 1 and eager[0].state == "done" and eager[0].result == "5"
    assert eager[0].parent == t.one("eager_main").id and eager[0].startedAt == eager[0].createdAt


def test_task_storm_is_rolled_up_and_bounded(python, traced):
    t = traced(python, "storm.py", "20000")
    assert t.proc.returncode == 0 and t.proc.stdout == "20000\n"
    ticks = t.named("tick")
    # the rollups are the agent's wire: the model counts them (counts) but keeps no record of each
    rolled = sum(r["count"] for r in t.rollups if r["name"] == "tick")
    assert len(ticks) + rolled == 20000 and rolled > 0
    assert len(ticks) < 20000 and all(x.state == "done" for x in ticks)
    assert all(str(r["parent"]) == t.one("main").id for r in t.rollups)
    assert t.dropped == 0 and t.errors == [] and t.malformed_events == 0


def test_uvloop_run_main_is_the_main_task(venv_python, traced):
    t = traced(venv_python, "uvloop_run.py")
    assert t.proc.returncode == 0, t.proc.stderr
    main, children = t.one("main"), t.named("child")
    assert main.created and main.created["file"].endswith("uvloop_run.py") and main.state == "done"
    assert len(children) == 3 and all(c.parent == main.id for c in children)


def test_uvloop_tasks_tracked(venv_python, traced):
    t = traced(venv_python, "uvloop_tasks.py")
    assert t.proc.returncode == 0, t.proc.stderr
    main, children = t.one("main"), t.named("child")
    assert [l["name"] for l in t.loops] == ["Loop #1"]
    assert len(children) == 3 and all(c.parent == main.id and c.state == "done" for c in children)
    assert any(sorted(on) == sorted(c.id for c in children) for on, _ in t.awaits(main)), main.seen
