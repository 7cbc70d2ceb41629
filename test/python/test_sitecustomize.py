"""The sitecustomize route (a debugger's launch, no `-m async_inspector`): dist/python-site first on PYTHONPATH
with ASYNC_INSPECTOR_SESSION starts the agent in that process only, chains to the user's sitecustomize, and
stays out of the way when the session variable is absent or the interpreter ignores PYTHONPATH / site."""
import os
import subprocess

from receiver import AGENT_PATH, FIXTURES, TOKEN, Receiver

SITE = os.path.join(AGENT_PATH, "site")
APP = os.path.join(FIXTURES, "site_route", "app.py")
USER_SITE = os.path.join(FIXTURES, "site_route", "user_site")


def run_site(python, flags=(), session="sess-42", pythonpath=(), channel=None):
    rcv = Receiver()
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PYTHONPATH"] = os.pathsep.join([SITE] + list(pythonpath))
    env["ASYNC_INSPECTOR_CHANNEL"] = channel or "unix:" + rcv.path
    env["ASYNC_INSPECTOR_TOKEN"] = TOKEN
    env["ASYNC_INSPECTOR_CONFIG"] = '{"flushMs": 20}'
    if session:
        env["ASYNC_INSPECTOR_SESSION"] = session
    proc = subprocess.run([python] + list(flags) + [APP], env=env, cwd=os.path.dirname(APP),
                          capture_output=True, text=True, timeout=60)
    rcv.close()
    return rcv.trace(proc)


def test_agent_starts_for_the_session_and_only_in_its_process(python):
    tr = run_site(python)
    assert tr.proc.returncode == 0, tr.proc.stderr
    assert "results [0, 1, 2]" in tr.proc.stdout
    assert len(tr.connections) == 1, "the child Python process must not start an agent"
    hello = tr.messages[0]
    assert hello["type"] == "hello" and hello["session"] == "sess-42" and hello["token"] == TOKEN
    names = sorted(t.name for t in tr.tasks.values() if t.kind == "task")
    assert names.count("worker") == 3, names
    assert all(t.state == "done" for t in tr.tasks.values() if t.name == "worker")
    assert tr.messages[-1]["type"] == "bye" and "exitCode" not in tr.messages[-1]
    assert "session var in program: None" in tr.proc.stdout
    assert "child session var: None" in tr.proc.stdout
    assert tr.proc.stderr == ""


def test_the_users_sitecustomize_still_runs(python):
    tr = run_site(python, pythonpath=[USER_SITE])
    assert tr.proc.returncode == 0, tr.proc.stderr
    assert tr.proc.stdout.startswith("user sitecustomize ran\n")
    assert "sitecustomize module: user" in tr.proc.stdout
    assert len(tr.connections) == 1 and tr.messages[0]["session"] == "sess-42"


def test_without_a_session_it_starts_as_a_traced_programs_child_and_the_users_sitecustomize_runs(python):
    # what a child of a traced program inherits (async_inspector/children.py): its own process, and its children
    tr = run_site(python, session=None, pythonpath=[USER_SITE])
    assert tr.proc.returncode == 0, tr.proc.stderr
    assert "user sitecustomize ran" in tr.proc.stdout and "results [0, 1, 2]" in tr.proc.stdout
    assert len(tr.connections) == 2, tr.connections
    program, child = tr.connections[0][0], tr.connections[1][0]
    assert "session" not in program and program["argv"][1:] == [APP] and child["ppid"] == program["pid"]
    assert tr.messages[-1] == dict(tr.messages[-1], type="bye", exitCode=0)


def test_isolated_no_env_no_site_leave_the_program_untouched(python):
    plain = subprocess.run([python, APP], cwd=os.path.dirname(APP), capture_output=True, text=True, timeout=60)
    for flag in ("-I", "-E", "-S"):
        tr = run_site(python, flags=[flag])
        # The program ignores PYTHONPATH / site, so the variables stay in its environment and its own child
        # (run without the flag) starts an agent: the inspection takes only the hello whose pid is the
        # debuggee's (DAP `process` event), so the session still says the agent is absent.
        programs = [c for c in tr.connections if c and "-c" not in c[0]["argv"]]
        assert programs == [], flag
        assert tr.proc.returncode == 0 and tr.proc.stderr == "", (flag, tr.proc.stderr)
        def lines(out):  # the program sees the variables nothing took out of its environment
            return [ln for ln in out.splitlines() if not ln.startswith("session var in program")]

        assert lines(tr.proc.stdout) == lines(plain.stdout), flag


def test_an_unreachable_inspector_costs_one_line(python):
    tr = run_site(python, channel="unix:/nonexistent/ai.sock")
    assert tr.proc.returncode == 0
    assert "results [0, 1, 2]" in tr.proc.stdout
    assert tr.proc.stderr.count("async-inspector:") == 1, tr.proc.stderr


def test_debugpy_options_stay_out_of_the_command_line():
    from async_inspector.agent import program_argv

    argv = ["/venv/lib/python3.12/site-packages/debugpy", "--connect", "127.0.0.1:5678", "--configure-qt", "none",
            "--adapter-access-token", "secret", "/ws/app.py", "--flag", "x"]
    assert program_argv(argv) == ["/ws/app.py", "--flag", "x"]
    assert program_argv(["/x/debugpy/__main__.py", "--listen", "5678", "--wait-for-client", "-m", "pkg", "a"]) == ["-m", "pkg", "a"]
    assert program_argv(["/ws/app.py", "--connect", "x"]) == ["/ws/app.py", "--connect", "x"]
    assert program_argv(["/ws/__main__.py", "--connect", "x"]) == ["/ws/__main__.py", "--connect", "x"]
    assert program_argv([]) == []
