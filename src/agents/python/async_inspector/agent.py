"""Starts the agent: reads the launcher's env vars, connects, says hello, installs the hooks.

Two routes share start(): `python -m async_inspector app.py` (the CLI and our debug adapter run the program
themselves) and sitecustomize (a runtime debugger's launch, debugpy, runs it: see ../../site/sitecustomize.py).
"""
import atexit
import json
import os
import platform
import sys

from . import guard, protocol, state

exit_code = [None]
_channel = [None]
_injected = [False]  # started from sitecustomize: the debugger, not us, runs the program and knows its exit code
_conn = {}  # spec, token, argv, session: what a forked child needs to connect as itself
connected_pid = [None]  # the process whose connection _channel[0] is
restore = []  # what the hooks replaced (attach._patch_points), for a child that must run untraced (fork.py)


def start_guarded(argv):
    """start() for `python -m async_inspector`: whatever fails there, the program still runs, untraced."""
    try:
        return start(argv)
    except BaseException as e:  # even KeyboardInterrupt at start-up: the program must start as without us
        return _did_not_start(e)


def start(argv, env=None, session=None, command=None, quiet=False):
    """Connect and install hooks when the launcher's env vars are set (in `env`, default os.environ); otherwise
    do nothing. `session`: the debug session that injected the agent (the sitecustomize route), echoed in hello.
    `command`: the whole command line for the hello (default: this interpreter and `argv`). `quiet`: no line on
    stderr when the inspector cannot be reached (a child process, maybe started after the inspection ended)."""
    if _channel[0] is not None and connected_pid[0] == os.getpid():
        return True  # already started here (sitecustomize in a child that runs `-m async_inspector` too)
    env = os.environ if env is None else env
    spec = env.get(protocol.ENV_CHANNEL)
    if not spec:
        return False
    if guard.FAULTS:
        guard.fault("agent start")
    try:
        if guard.FAULTS:
            guard.fault("reading ASYNC_INSPECTOR_CONFIG")
        cfg = json.loads(env.get(protocol.ENV_CONFIG) or "{}")
        if isinstance(cfg, dict):
            state.config.update({k: v for k, v in cfg.items() if v is not None})
    except Exception as e:
        guard.report("reading ASYNC_INSPECTOR_CONFIG", e)
    try:
        from .channel import Channel

        ch = Channel(spec)
    except Exception as e:
        if not quiet:
            sys.stderr.write("async-inspector: cannot reach the inspector at %s (%s); running untraced\n" % (spec, e))
        return False
    _conn.update(spec=spec, token=env.get(protocol.ENV_TOKEN, ""), session=session,
                 argv=list(command) if command else [sys.executable] + list(argv))
    if session is not None:
        _injected[0] = True
    else:
        guard.attempt("preparing the environment of child processes", _prepare_children)
    _connect(ch)
    guard.attempt("saving what the hooks replace", _save_patch_points)
    _install()
    guard.attempt("installing the exit hooks", _install_exit_hooks)
    state.enabled = True
    atexit.register(_at_exit)
    # failing, the program still runs; what was recorded is sent at exit
    guard.attempt("starting the writer thread", ch.start_writer)
    return True


def _prepare_children():
    from . import children

    children.prepare_environment()


def _save_patch_points():
    from . import attach

    restore[:] = [attach.patch_points()]


def _install_exit_hooks():
    from . import exits

    exits.install()


def _connect(ch):
    """Say hello on a fresh connection, as this process (its pid, its parent's)."""
    _channel[0] = ch
    connected_pid[0] = os.getpid()
    hello = {
        "type": "hello", "protocol": protocol.PROTOCOL_VERSION, "token": _conn["token"],
        "runtime": "python", "pid": os.getpid(), "ppid": os.getppid(), "argv": _conn["argv"],
        "cwd": os.getcwd(), "agentVersion": protocol.AGENT_VERSION, "runtimeVersion": platform.python_version(),
        "startEpochMs": state.START_EPOCH_MS,
    }
    if _conn["session"] is not None:
        hello["session"] = _conn["session"]
    ch.send([hello])


def reconnect():
    """In a forked child (fork.py): a connection, writer and stall sampler of its own; False when unreachable."""
    from . import stall_sampler
    from .channel import Channel

    try:
        ch = Channel(_conn["spec"])
    except Exception:
        return False
    _connect(ch)
    for what, begin in (("writer thread", ch.start_writer), ("stall sampler", stall_sampler.install)):
        guard.attempt("starting the %s after fork" % what, begin)
    return True


def start_child():
    """The sitecustomize route in a child process of a traced program (children.py): start, and note how the
    child exits. Never raises."""
    try:
        from . import children, exit_codes

        command = children.command_line()
        if children.is_helper(command) or not start(command[1:], command=command, quiet=True):
            return False
        exit_codes.note_exit_codes(exit_code)
        return True
    except BaseException as e:
        return _did_not_start(e)


def start_for_session():
    """The sitecustomize route: start only in the process whose debug session asked for the agent
    (ASYNC_INSPECTOR_SESSION set), and take the variables out of the environment first, so the program's own
    child processes (subprocess, multiprocessing, debugpy's subProcess) run without one. Never raises."""
    try:
        session = os.environ.get(protocol.ENV_SESSION)
        if not session or not os.environ.get(protocol.ENV_CHANNEL):
            return False
        env = {}
        for name in (protocol.ENV_SESSION, protocol.ENV_CHANNEL, protocol.ENV_TOKEN, protocol.ENV_CONFIG):
            value = os.environ.pop(name, None)
            if value is not None:
                env[name] = value
        return start(program_argv(sys.argv), env, session)
    except BaseException as e:  # even KeyboardInterrupt at start-up: the program must start as without us
        return _did_not_start(e)


def _did_not_start(e):
    guard.say_once("the agent did not start (%s: %s); running untraced" % (type(e).__name__, e))
    return False


# debugpy's own command-line options before the program (debugpy/server/cli.py), with how many values each takes.
_DEBUGPY_OPTIONS = {"--connect": 1, "--listen": 1, "--log-to": 1, "--adapter-access-token": 1,
                    "--parent-session-pid": 1, "--wait-for-client": 0, "--log-to-stderr": 0}


def program_argv(argv):
    """The program's own command line: under debugpy (`python <debugpy> --connect … app.py args`) without
    debugpy's options, which carry its access token: that must not reach the view or a saved report."""
    argv = list(argv)
    if not argv or os.path.basename(os.path.normpath(argv[0])) not in ("debugpy", "__main__.py") or (
            os.path.basename(argv[0]) == "__main__.py" and os.path.basename(os.path.dirname(argv[0])) != "debugpy"):
        return argv
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in _DEBUGPY_OPTIONS:
            i += 1 + _DEBUGPY_OPTIONS[arg]
        elif arg.startswith("--configure-"):
            i += 2
        else:
            break
    return argv[i:]


def _install():
    from . import cancels, child_exits, cycles, deadlock, execs, executors, findings, fork, locks, mistakes
    from . import loop_hooks, relations
    from . import stall_sampler, threadsafe, uvloop_support

    for name, mod in (("tasks", loop_hooks), ("executors", executors), ("threadsafe", threadsafe), ("relations", relations),
                      ("semaphore holders", cycles), ("cancel", cancels),
                      ("findings", findings), ("mistakes", mistakes), ("uvloop", uvloop_support),
                      ("deadlock", deadlock), ("locks", locks), ("stall sampler", stall_sampler), ("fork", fork),
                      ("exec", execs), ("child exits", child_exits)):
        guard.attempt("installing %s hooks" % name, mod.install)


def _at_exit():
    ch = _channel[0]
    if ch is None:
        return
    guard.attempt("collecting pending tasks at exit", _pending_at_exit)
    guard.attempt("stall sampler at exit", stall_sampler_at_exit)
    try:
        # the sitecustomize route does not run the program: its exit code is the debugger's to report
        ch.close(exit_code[0] if exit_code[0] is not None or _injected[0] else 0)
    except Exception:
        pass


def _pending_at_exit():
    from . import deadlock

    _collect_pending_tasks()
    deadlock.at_exit(exit_code[0])


def stall_sampler_at_exit():
    """The stall sampler's last word (a stall still going on), before the process ends or execs."""
    from . import stall_sampler

    stall_sampler.at_exit()


def _collect_pending_tasks():
    """Pending tasks caught in reference cycles are destroyed by the interpreter's last collection, after
    the channel is closed: collect them now, so a closed loop's tasks are reported as destroyed-pending."""
    state.exiting = True
    if any(r.kind == "task" and not r.ended for r in list(state.records.values())):
        import gc

        gc.collect()
