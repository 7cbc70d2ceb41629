"""Run by test_attach.py under each interpreter: attaches the agent to this running program (as the injected
bootstrap does, from another thread), lets the inspector (a fake one here) close the channel, and checks that
the detach put everything back; then attaches once more. Prints one JSON line with what it saw."""
import asyncio
import json
import os
import socket
import sys
import tempfile
import threading
import time
import warnings

AGENT = sys.argv[1]


def inspector(path, got, close_after):
    """Accepts one agent, keeps what it says, closes after `close_after` batch lines."""
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen(1)
    conn, _ = srv.accept()
    buf = b""
    while buf.count(b'"batch"') < close_after:
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
    got.append(buf.decode())
    conn.close()
    srv.close()


def points():
    import asyncio.base_events as be
    return {"create_task": be.BaseEventLoop.create_task, "run": asyncio.events.Handle._run,
            "acquire": asyncio.locks.Lock.acquire, "release": asyncio.locks.Lock.release,
            "unawaited": getattr(warnings, "_warn_unawaited_coroutine", None), "shield": asyncio.shield,
            "run_coroutine_threadsafe": asyncio.run_coroutine_threadsafe, "meta_path": list(sys.meta_path)}


def attach_once(tag):
    path = os.path.join(tempfile.mkdtemp(), "agent.sock")
    got = []
    t = threading.Thread(target=inspector, args=(path, got, 1))
    t.start()
    while not os.path.exists(path):
        time.sleep(0.01)
    sys.path.insert(0, AGENT)
    from async_inspector import attach

    sys.path.remove(AGENT)
    threading.Thread(target=attach.start, args=("unix:" + path, "tok-" + tag, "{}")).start()
    t.join(20)
    deadline = time.time() + 5
    while time.time() < deadline and any(th.name.startswith("async-inspector") for th in threading.enumerate()):
        time.sleep(0.05)
    return got[0] if got else ""


async def main():
    gate = asyncio.Event()
    keep = [asyncio.ensure_future(gate.wait()) for _ in range(3)]  # noqa: F841 (pending tasks to adopt)
    await asyncio.sleep(0)
    before = points()
    loop = asyncio.get_running_loop()
    first = await loop.run_in_executor(None, attach_once, "1")
    after = points()
    second = await loop.run_in_executor(None, attach_once, "2")
    from async_inspector import state

    print(json.dumps({
        "restored": [k for k in before if before[k] != after[k]] == [],
        "changed": [k for k in before if before[k] != after[k]],
        "firstHello": '"hello"' in first and '"attached":true' in first and "tok-1" in first,
        "adopted": first.count('"definition"'),
        "secondHello": "tok-2" in second,
        "enabled": state.enabled,
        "agentThreads": [th.name for th in threading.enumerate() if th.name.startswith("async-inspector")],
    }), flush=True)


asyncio.run(main())
