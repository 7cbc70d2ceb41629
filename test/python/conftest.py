"""Agent tests run every fixture under each CPython >= 3.9 found (the agent is stdlib only): the pyenv versions
(wherever `pyenv root` says; else $PYENV_ROOT, else ~/.pyenv), the CPythons scripts/ensure-python314.sh put in the
persistent cache, and the interpreter running pytest (the project venv, which also has aiohttp and uvloop). The
summary line says which versions ran and which were skipped, and why."""
import glob
import json
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from receiver import run_traced  # noqa: E402

MIN_VERSION = (3, 9)
# The newest CPython the machines do not ship; scripts/ensure-python314.sh provides it.
PERSISTENT_FAMILY = "3.14"


def _version(python):
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, timeout=20).stdout.strip()
        return tuple(int(x) for x in out.split("."))
    except Exception:
        return None


def pyenv_root():
    try:
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=20)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass  # pyenv not on PATH
    return os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")


def persistent_cache():
    return os.environ.get("ASYNC_INSPECTOR_PERSISTENT_CACHE") or os.path.expanduser(
        "~/.cache/async-inspector-persistent")


def _release(path):
    """(3, 10, 13) for .../3.10.13/..., so that 3.9 sorts before 3.10."""
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", path)
    return tuple(int(x) for x in m.groups()) if m else (0,)


def _candidates():
    """(name, path or None, reason it cannot run or None) for every interpreter the matrix looks at."""
    root = pyenv_root()
    for python in sorted(glob.glob(os.path.join(root, "versions", "*", "bin", "python")), key=_release):
        name = python.split(os.sep)[-3]
        if re.match(r"^\d+\.\d+\.\d+$", name):  # not virtualenvs or other implementations
            yield name, python, None
    cache = persistent_cache()
    families = set()
    for d in sorted(glob.glob(os.path.join(cache, "python-3.*")), key=_release):
        name, family = os.path.basename(d)[len("python-"):], ".".join(os.path.basename(d)[7:].split(".")[:2])
        if not os.path.isdir(d) or not re.match(r"^\d+\.\d+\.\d+$", name):
            continue
        families.add(family)
        python = os.path.join(d, "bin", "python" + family)
        if os.path.isfile(os.path.join(d, ".complete")) and os.access(python, os.X_OK):
            yield name, python, None
        else:
            yield name, None, "install not finished in " + d
    if PERSISTENT_FAMILY not in families:
        yield PERSISTENT_FAMILY, None, "not installed (bash scripts/ensure-python314.sh)"


def _discover():
    found, skipped = [], []
    for name, python, why in _candidates():
        v = _version(python) if python else None
        if python and not v:
            why = "does not run"
        elif v and v < MIN_VERSION:
            why = "< %d.%d" % MIN_VERSION
        (skipped.append((name, why)) if why else found.append((name, python)))
    found.append(("venv-%d.%d.%d" % sys.version_info[:3], sys.executable))
    return found, skipped


INTERPRETERS, SKIPPED = _discover()


def matrix_summary():
    """'ran 3.9.18, ...; skipped 3.8.18 (< 3.9), 3.14 (not installed ...)', reasons grouped."""
    reasons = {}
    for name, why in SKIPPED:
        reasons.setdefault(why, []).append(name)
    skipped = "; ".join("%s (%s)" % (", ".join(names), why) for why, names in reasons.items()) or "none"
    return "ran %s; skipped %s" % (", ".join(n for n, _ in INTERPRETERS), skipped)


def pytest_report_header(config):
    return ["python matrix (pyenv root %s): %s" % (pyenv_root(), matrix_summary())]


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("python matrix: " + matrix_summary())
    results = os.environ.get("ASYNC_INSPECTOR_TEST_RESULTS")  # read by scripts/test.mjs
    if results:
        count = lambda key: len([r for r in terminalreporter.stats.get(key, []) if getattr(r, "when", "call") == "call"])
        passed, failed = count("passed"), count("failed") + len(terminalreporter.stats.get("error", []))
        with open(results, "w") as f:
            json.dump({"tests": passed + failed, "passed": passed, "failed": failed,
                       "skipped": len(terminalreporter.stats.get("skipped", [])), "emptyFiles": [],
                       "note": "python " + matrix_summary()}, f)


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
        key = (python, script, args, repr(sorted(kw.items())))
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
