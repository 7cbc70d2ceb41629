"""Forked children (os.fork, multiprocessing's fork start method) are traced as processes of their own."""
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")


def test_fork_children_connect_as_their_own_process(python, traced):
    t = traced(python, "fork_children.py")
    assert t.proc.returncode == 0, t.proc.stderr
    assert "bare exit 7" in t.proc.stdout and "mp exit [0, 0]" in t.proc.stdout, t.proc.stdout
    procs = list(t.processes().values())  # in the order they connected
    assert len(procs) == 4 == len(t.connections), [h.get("pid") for h, _ in procs]
    parent_hello, parent = procs[0]
    parent_pid = parent_hello["pid"]
    assert parent.one("parent_work").state == "done"
    assert not [tk for tk in parent.tasks.values() if "child_work" in tk.name]  # the children's, not the parent's
    children = {}
    for hello, child in procs[1:]:
        assert hello["type"] == "hello" and hello["ppid"] == parent_pid and hello["pid"] != parent_pid
        assert hello["token"] == parent_hello["token"]
        assert child.malformed_events == 0 and child.errors == []
        works = [tk for tk in child.tasks.values() if "child_work" in tk.name]
        assert len(works) == 1 and works[0].state == "done", list(child.tasks.values())
        assert not child.named("parent_work")  # never sends as its parent
        assert child.bye is not None
        children[hello["pid"]] = child.bye.get("exitCode")
    assert sorted(children.values()) == [0, 0, 7]
    assert len(set(children)) == 3
    assert parent.bye["exitCode"] == 0 and parent.malformed_events == 0 and parent.errors == []
