"""Source locations: which frames are the user's, and interning (code, line) into protocol `site` ids."""
import asyncio
import collections
import concurrent.futures
import os
import sys
import threading

from . import state

_AGENT_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_STDLIB = os.path.dirname(os.path.abspath(os.__file__)) + os.sep
_INTERNAL_DIRS = tuple(
    os.path.dirname(os.path.abspath(m.__file__)) + os.sep for m in (asyncio, concurrent.futures)
) + (_AGENT_DIR,)
_THIRD_PARTY = ("site-packages", "dist-packages")
_INTERNAL_FILES = tuple(os.path.abspath(f) for f in (threading.__file__,)) + (
    os.path.abspath(sys.modules["runpy"].__file__) if "runpy" in sys.modules else "runpy.py",
)

_internal_by_code = {}
_ids = {}  # (code, line) -> site id
unsent = collections.deque()  # site events not yet sent


def is_internal(code):
    """True for asyncio / concurrent.futures / threading / agent code (cached per code object)."""
    r = _internal_by_code.get(code)
    if r is None:
        r = _internal_by_code[code] = is_internal_file(code.co_filename)
    return r


def is_internal_file(f):
    return f.startswith("<") or f.startswith(_INTERNAL_DIRS) or f in _INTERNAL_FILES or f.endswith(
        ("/uvloop/__init__.py",)) or (f.startswith(_STDLIB) and not any(p in f for p in _THIRD_PARTY))


_library_by_code = {}


def is_library(code):
    """Third-party code (site-packages): await lines prefer the program's own frames over these."""
    r = _library_by_code.get(code)
    if r is None:
        f = code.co_filename
        r = _library_by_code[code] = "site-packages" in f or "dist-packages" in f
    return r


def user_frame(frame, _get=_internal_by_code.get):
    """The innermost frame at or above `frame` that is user code, or None: the one walk to the first user
    frame (per task created; the cache is read inline, is_internal only fills it)."""
    while frame is not None:
        r = _get(frame.f_code)
        if r is None:
            r = is_internal(frame.f_code)
        if not r:
            return frame
        frame = frame.f_back
    return None


def intern(code, line):
    """Site id for (code, line); queues its `site` event the first time."""
    key = (code, line)
    sid = _ids.get(key)
    if sid is None:
        sid = state.next_id()
        _ids[key] = sid
        unsent.append({"e": "site", "id": sid, "file": _abs(code.co_filename), "line": line or 0,
                       "fn": getattr(code, "co_qualname", code.co_name)})
    return sid


def frame_site(frame):
    return intern(frame.f_code, frame.f_lineno)


def user_stack(frame, limit=12, stop=None):
    """Site ids of user frames from `frame` outwards (innermost first), up to the first frame for which
    `stop(frame)` is true (the loop's own frame: what called the loop is not part of a step)."""
    out = []
    while frame is not None and len(out) < limit and not (stop is not None and stop(frame)):
        if not is_internal(frame.f_code):
            out.append(intern(frame.f_code, frame.f_lineno))
        frame = frame.f_back
    return out


def importing(frame):
    """True while a module is being imported on this stack (importlib's frames): a one-time load, whose
    stall is not a blocking call in the program's code (a server's start-up imports, a library's lazy ones)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


def traceback_sites(tb, limit=12):
    """Site ids of a traceback's user frames, innermost first."""
    frames = []
    while tb is not None:
        frames.append((tb.tb_frame.f_code, tb.tb_lineno))
        tb = tb.tb_next
    out = [intern(c, l) for c, l in reversed(frames) if not is_internal(c)]
    return out[:limit]


def take_unsent():
    out = []
    while True:
        try:
            out.append(unsent.popleft())
        except IndexError:
            return out


_abs_cache = {}


def _abs(path):
    r = _abs_cache.get(path)
    if r is None:
        r = path if path.startswith("<") else os.path.abspath(path)
        _abs_cache[path] = r
    return r
