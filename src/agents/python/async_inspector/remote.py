"""Runs in a helper interpreter, not in the program: `python3.14 -m async_inspector.remote PID SCRIPT MARKER`.

Asks CPython 3.14+ to run SCRIPT in process PID (`sys.remote_exec`): the target runs it in its main thread at
the next point where it executes Python code. An event loop idle in epoll_wait() executes none until something
happens, so the helper then wakes it: it takes a copy of each of the target's epoll descriptors
(`pidfd_getfd`, the same permission as ptrace) and adds an eventfd of its own, ready, one-shot, whose event
carries fd -1: asyncio's selector and libuv both skip an fd they do not know, the loop goes round once, and
the script runs. The helper's copies are closed (which removes the eventfd) once MARKER appears.
Exit status: 0 started, 3 remote debugging disabled, 4 not permitted, 5 timed out, 1 anything else; one line
on stderr says which.
"""
import ctypes
import os
import select
import struct
import sys
import time

_SYS_PIDFD_GETFD = 438  # x86-64 and arm64 alike
_EPOLL_CTL_ADD = 1


def _epoll_fds(pid):
    out = []
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == "anon_inode:[eventpoll]":
                out.append(int(fd))
        except OSError:
            pass
    return out


def nudge(pid):
    """Wake every epoll_wait() of the process once; returns the descriptors to close afterwards."""
    libc = ctypes.CDLL(None, use_errno=True)
    held = []
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return held
    held.append(pidfd)
    efd = os.eventfd(1)
    held.append(efd)
    event = ctypes.create_string_buffer(struct.pack("=IQ", select.EPOLLIN | select.EPOLLONESHOT, 0xFFFFFFFF), 12)
    for fd in _epoll_fds(pid):
        dup = libc.syscall(_SYS_PIDFD_GETFD, pidfd, fd, 0)
        if dup < 0:
            continue
        held.append(dup)
        libc.epoll_ctl(dup, _EPOLL_CTL_ADD, efd, event)
    return held


def main(argv):
    pid, script, marker = int(argv[0]), argv[1], argv[2]
    timeout = float(argv[3]) if len(argv) > 3 else 10.0
    try:
        sys.remote_exec(pid, script)
    except PermissionError as e:
        sys.stderr.write("not-permitted: %s\n" % e)
        return 4
    except RuntimeError as e:
        text = str(e)
        if "not enabled" in text or "disabled" in text:
            sys.stderr.write("disabled: %s\n" % text)
            return 3
        sys.stderr.write("failed: %s\n" % text)
        return 1
    except OSError as e:
        sys.stderr.write("failed: %s\n" % e)
        return 4 if getattr(e, "errno", None) in (1, 13) else 1
    held = []
    deadline = time.monotonic() + timeout
    try:
        while not os.path.exists(marker):
            if time.monotonic() > deadline:
                sys.stderr.write("timeout: the process did not run the agent within %g s\n" % timeout)
                return 5
            if not held:
                held = nudge(pid)
            time.sleep(0.01)
    finally:
        for fd in held:
            try:
                os.close(fd)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
