"""The agent's own threads (writer, stall sampler): daemon threads a debugger leaves running.

debugpy (pydevd) suspends every thread at a breakpoint except its own, which it marks with
`pydev_do_not_trace` (never traced, so never suspended) and `is_pydev_daemon_thread` (hidden from the
program's `threading.enumerate()` and from the debugger's thread list). The agent marks its threads the same
way, so that while the program is paused they keep running: the writer delivers what was recorded up to the
stop, and the user never sees or steps into them. Outside a debugger the marks are plain attributes.
"""
import sys
import threading


def start_agent_thread(target, name, args=()):
    """Starts `target(*args)` on a daemon thread the debugger neither traces nor suspends nor lists."""
    thread = threading.Thread(target=target, args=args, name=name, daemon=True)
    thread.pydev_do_not_trace = True
    thread.is_pydev_daemon_thread = True
    thread.start()  # may fail under load ("can't start new thread"): the caller decides what that means
    return thread


def is_agent_thread(thread):
    return bool(getattr(thread, "is_pydev_daemon_thread", False)) or thread.name.startswith("async-inspector")


def other_frames():
    """sys._current_frames() without the calling thread's own frame. Held in a local, the dict would hold
    that frame and the frame the dict: a reference cycle that kept every sampled frame of the program (a
    step's locals: a gather's future, its 100,000 tasks) alive until the next full garbage collection, and
    made more garbage for the program's collections to go through."""
    frames = sys._current_frames()
    frames.pop(threading.get_ident(), None)
    return frames
