"""Agent tests run every fixture under each CPython >= 3.9 found in /root/.pyenv/versions (the agent is
stdlib only) plus the interpreter running pytest (the project venv, which also has aiohttp and uvloop)."""
import glob
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from receiver import run_traced  # noqa: E402

MIN_VERSION = (3, 9)


def _version(python):
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, timeout=20).stdout.strip()
        return tuple(int(x) for x in out.split("."))
    except Exception:
        return None


def _discover():
    found, skipped = [], []
    for python in sorted(glob.glob("/root/.pyenv/versions/*/bin/python")):
        name = python.split("/")[-3]
        if not re.match(r"^\d+\.\d+\.\d+$", name):
            continue
        v = _version(python)
        (found if v and v >= MIN_VERSION else skipped).append((name, python))
    found.append(("venv-%d.%d.%d" % sys.version_info[:3], sys.executable))
    return found, skipped


INTERPRETERS, SKIPPED = _discover()


def pytest_report_header(config):
    return ["python agent interpreters: " + ", ".join(n for n, _ in INTERPRETERS),
            "skipped (< 3.9): " + (", ".join(n for n, _ in SKIPPED) or "none")]


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("python agent interpreters skipped (< 3.9): %s"
                                % (", ".join(n for n, _ in SKIPPED) or "none"))


def pytest_generate_tests(metafunc):
    if "python" in metafunc.fixturenames:
        metafunc.parametrize("python", [p for _, p in INTERPRETERS], ids=[n for n, _ in INTERPRETERS])


def version_of(python):
    return _version(python)


_cache = {}


@pytest.fixture
def traced():
    """traced(python, script, *args, **kw) -> Trace; each (python, script, args) runs once per session."""

    def run(python, script, *args, **kw):
        key = (python, script, args, tuple(sorted(kw.items())))
        if key not in _cache:
            _cache[key] = run_traced(python, script, args, **kw)
        return _cache[key]

    return run


def has_module(python, name):
    return subprocess.run([python, "-c", "import " + name], capture_output=True).returncode == 0


@pytest.fixture
def venv_python():
    """The interpreter with aiohttp and uvloop (scripts/python-env.sh makes it)."""
    if not (has_module(sys.executable, "aiohttp") and has_module(sys.executable, "uvloop")):
        pytest.skip("run pytest with the venv from scripts/python-env.sh (aiohttp, uvloop)")
    return sys.executable
