"""`python -m async_inspector script.py` must behave exactly like `python script.py`."""
import os
import re
import subprocess

import pytest

from receiver import AGENT_PATH, FIXTURES, from_wire, run_plain


@pytest.mark.parametrize("mode", ["ok", "exit3", "raise", "exitmsg"])
def test_same_output_exit_code_and_traceback_as_plain_python(python, traced, mode):
    plain = run_plain(python, "program_semantics.py", [mode])
    t = traced(python, "program_semantics.py", mode)
    assert t.proc.returncode == plain.returncode
    assert t.proc.stdout == plain.stdout
    assert "name=__main__ argv=['%s']" % mode in t.proc.stdout and "helper=42" in t.proc.stdout
    assert t.proc.stderr == plain.stderr  # same traceback (no agent frames), same messages
    assert t.bye["exitCode"] == plain.returncode and t.errors == []


def test_multiprocessing_spawn_children_start(python, traced):
    t = traced(python, "spawn_children.py")
    assert t.proc.returncode == 0, t.proc.stderr
    assert "[1, 4, 9]" in t.proc.stdout and "exitcode 0" in t.proc.stdout


def test_module_mode_with_relative_imports(python, traced):
    t = traced(python, "pkgdemo", module=True)
    assert t.proc.returncode == 0, t.proc.stderr
    assert "module result 42" in t.proc.stdout
    assert t.one("double").result == "42"


def test_without_the_env_vars_the_program_runs_untraced(python):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASYNC_INSPECTOR")}
    env["PYTHONPATH"] = AGENT_PATH
    out = subprocess.run([python, "-m", "async_inspector", os.path.join(FIXTURES, "create_task_order.py")],
                         env=env, cwd=FIXTURES, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout == "world\nhello\n" and out.stderr == ""


def test_unreachable_channel_warns_once_and_runs(python):
    env = dict(os.environ, PYTHONPATH=AGENT_PATH, ASYNC_INSPECTOR_CHANNEL="unix:/nonexistent/x.sock",
               ASYNC_INSPECTOR_TOKEN="t")
    out = subprocess.run([python, "-m", "async_inspector", os.path.join(FIXTURES, "create_task_order.py")],
                         env=env, cwd=FIXTURES, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout == "world\nhello\n"
    assert len(re.findall("running untraced", out.stderr)) == 1


def test_an_agent_failure_is_reported_once_and_the_program_goes_on(python, traced):
    t = traced(python, "agent_failure.py")
    assert t.proc.returncode == 0 and t.proc.stdout == "results [7, 7]\n" and t.proc.stderr == ""
    # the agent sends one per failing hook, however often it failed (its wire); the report lists those
    messages = [m["message"] for m in t.messages if m.get("type") == "agent-error"]
    assert t.errors == messages
    assert 1 <= len(messages) <= 2 and len(set(messages)) == len(messages)
    assert "create_task hook" in messages[0] and all("hides its code" in m for m in messages)
    assert t.one("main").state == "done"  # everything else still traced


def test_tcp_channel(python):
    """Windows uses TCP loopback: the same messages arrive over `tcp:host:port`."""
    import json
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    chunks = []

    def accept():
        conn, _ = srv.accept()
        while True:
            data = conn.recv(65536)
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=accept, daemon=True)
    reader.start()
    env = dict(os.environ, PYTHONPATH=AGENT_PATH, ASYNC_INSPECTOR_TOKEN="tok",
               ASYNC_INSPECTOR_CHANNEL="tcp:127.0.0.1:%d" % srv.getsockname()[1])
    out = subprocess.run([python, "-m", "async_inspector", os.path.join(FIXTURES, "create_task_order.py")],
                         env=env, cwd=FIXTURES, capture_output=True, text=True, timeout=30)
    reader.join(5)
    srv.close()
    messages = [json.loads(line) for line in b"".join(chunks).decode().splitlines()]
    assert out.returncode == 0 and out.stdout == "world\nhello\n"
    assert messages[0]["type"] == "hello" and messages[0]["token"] == "tok" and messages[-1]["type"] == "bye"
    events = [from_wire(e) for m in messages if m["type"] == "batch" for e in m["events"]]
    names = [e["name"] for e in events if e["e"] == "create"]
    assert sorted(names) == ["main", "say_after", "say_after"]
