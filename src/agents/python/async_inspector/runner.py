"""Runs the user's script as `__main__`, exactly as `python script.py args` would.

sys.argv, sys.path[0] (the script's folder), a fresh `__main__` module (so pickling and multiprocessing
spawn find the script's functions), the exit code, and an uncaught exception's traceback without the
agent's own frames.
"""
import os
import runpy
import sys
import types

from . import agent
from .exit_codes import status_code


def run_path(script, args):
    path = os.path.abspath(script)
    sys.argv = [script] + list(args)
    sys.path[0] = os.path.dirname(os.path.realpath(path))
    with open(path, "rb") as f:
        source = f.read()
    code = compile(source, path, "exec", dont_inherit=True)  # 3.9+ shows the script's absolute path
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": path, "__builtins__": __builtins__, "__spec__": None,
                          "__package__": None, "__cached__": None})
    try:
        from importlib.machinery import SourceFileLoader

        main.__loader__ = SourceFileLoader("__main__", path)
    except Exception:
        pass
    sys.modules["__main__"] = main
    _guarded(lambda: exec(code, main.__dict__), code)


def run_module(name, args):
    sys.argv = [name] + list(args)
    sys.path[0] = os.getcwd()
    _guarded(lambda: runpy.run_module(name, run_name="__main__", alter_sys=True), None)


def _guarded(body, user_code):
    try:
        body()
    except SystemExit as e:
        agent.exit_code[0] = status_code(e.code)
        raise
    except KeyboardInterrupt:
        agent.exit_code[0] = 130
        raise
    except BaseException as e:
        tb = e.__traceback__
        while tb is not None and user_code is not None and tb.tb_frame.f_code is not user_code:
            tb = tb.tb_next
        if tb is None or user_code is None:
            tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
        agent.exit_code[0] = 1
        e.__traceback__ = tb  # the default hook prints the exception's own traceback
        sys.excepthook(type(e), e, tb)
        sys.exit(1)
    agent.exit_code[0] = 0

