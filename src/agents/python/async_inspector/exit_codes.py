"""How a child process run by its own interpreter ends, for its bye (children.py starts the agent there).

Such a child is not run by `python -m async_inspector` (runner.py catches the program's SystemExit there), and
no atexit hook sees the code a SystemExit ends the interpreter with. So the agent notes it on the way out:

- CPython 3.12+: a SystemExit unwinding the `__main__` module's frame (`raise SystemExit(n)`, `sys.exit(n)`,
  `exit(n)`, multiprocessing's spawn children's `sys.exit(exitcode)`), seen by a `sys.monitoring` PY_UNWIND
  callback: one check per frame an exception leaves, nothing on the way of code that raises nothing. A
  SystemExit the program catches is not its exit.
- 3.9-3.11 (no sys.monitoring), or when every free monitoring tool id is taken: `sys.exit(n)` and the
  `exit(n)` / `quit(n)` builtins called on the main thread. A bare `raise SystemExit(n)` there is not seen:
  the bye says 0 (a limit, README).
- An uncaught exception: 1 (130 for Ctrl-C), from `sys.excepthook`.
- `os._exit(n)` and a fatal signal raised at itself: exits.py.
A program that simply ends says 0.
"""
import builtins
import sys
import threading

_TOOL_IDS = (4, 3)  # the ids sys.monitoring leaves unnamed (0-2 and 5: debugger, coverage, profiler, optimizer)
_TOOL_NAME = "async-inspector exit code"


def status_code(code):
    """The process exit status of SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF if code >= 0 else code % 256
    return 1


def note_exit_codes(exit_code):
    """Note how this child ends in `exit_code[0]`."""
    real_hook = sys.excepthook

    def excepthook(kind, value, tb):
        exit_code[0] = 130 if issubclass(kind, KeyboardInterrupt) else 1
        real_hook(kind, value, tb)

    sys.excepthook = excepthook
    if not _watch_main_frame(exit_code):
        _wrap_exit_calls(exit_code)


def _watch_main_frame(exit_code):
    monitoring = getattr(sys, "monitoring", None)
    main_globals = getattr(sys.modules.get("__main__"), "__dict__", None)
    if monitoring is None or main_globals is None:
        return False
    for tool in _TOOL_IDS:
        try:
            monitoring.use_tool_id(tool, _TOOL_NAME)
        except ValueError:  # taken (by a profiler, a debugger...)
            continue

        def unwind(code, offset, exc):
            if code.co_name == "<module>" and isinstance(exc, SystemExit):
                try:
                    if sys._getframe(1).f_globals is main_globals:
                        exit_code[0] = status_code(exc.code)
                except Exception:
                    pass

        monitoring.register_callback(tool, monitoring.events.PY_UNWIND, unwind)
        monitoring.set_events(tool, monitoring.get_events(tool) | monitoring.events.PY_UNWIND)
        return True
    return False


def _wrap_exit_calls(exit_code):
    """sys.exit and the exit() / quit() builtins, when called on the main thread, note their status."""
    def noting(real):
        def call(*args):
            if threading.current_thread() is threading.main_thread():
                exit_code[0] = status_code(args[0] if args else None)
            return real(*args)
        return call

    sys.exit = noting(sys.exit)
    for name in ("exit", "quit"):
        real = getattr(builtins, name, None)
        if real is not None:
            setattr(builtins, name, _Quitter(real, noting(real)))


class _Quitter:
    """site's exit / quit: the same repr (`Use exit() or Ctrl-D (i.e. EOF) to exit`), a call noted."""

    def __init__(self, real, call):
        self._real, self._call = real, call

    def __call__(self, *args):
        return self._call(*args)

    def __repr__(self):
        return repr(self._real)
