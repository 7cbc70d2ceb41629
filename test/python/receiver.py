"""A small stand-in for the launcher: a private Unix socket that collects the agent's NDJSON messages and
hands each line, as it arrives, to the real model (model_reducer.ts, in Node), which the tests then ask what
the panel shows (model_trace.py)."""
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AGENT_PATH = os.path.join(ROOT, "src", "agents", "python")
FIXTURES = os.path.join(ROOT, "test", "fixtures", "python")
TOKEN = "test-token-123"


sys.path.insert(0, AGENT_PATH)
from async_inspector.protocol import from_wire  # noqa: E402,F401  (tests import it from here)


class Receiver(object):
    """Accepts any number of connections (child processes), keeps each one's decoded messages (for asserts on
    the wire itself) and feeds every line to the model, numbering connections in the order they connected."""

    def __init__(self):
        self.model = ModelReducer()
        self.dir = tempfile.mkdtemp(prefix="ai-py-")
        self.path = os.path.join(self.dir, "ch.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(8)
        self.connections = []  # list of message lists
        self.threads = []
        self.malformed = []
        self.closing = False
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def _accept(self):
        # Polls, so that close() can have it take every connection still queued: by the time the program has
        # exited, its connect() calls have all completed, but on a loaded machine this thread may not have
        # accepted them yet (closing the socket then would drop the program's messages).
        while True:
            if not select.select([self.server], [], [], 0.05)[0]:
                if self.closing:
                    return
                continue
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            msgs = []
            self.connections.append(msgs)
            t = threading.Thread(target=self._read, args=(conn, msgs, len(self.connections) - 1), daemon=True)
            t.start()
            self.threads.append(t)  # once started: close() may join it at any moment

    def _read(self, conn, msgs, number):
        buf = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                self.model.feed(number, line)
                try:
                    msg = json.loads(line)
                    if msg.get("type") == "batch":
                        msg["events"] = [from_wire(ev) for ev in msg["events"]]
                    msgs.append(msg)
                except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                    self.malformed.append(line[:200])
        conn.close()

    def close(self):
        self.closing = True
        self.acceptor.join(10)
        for t in list(self.threads):
            t.join(5)
        self.server.close()

    def trace(self, proc, exit=True):
        """What the model and the view hold now (the program ended when `exit`: its end-of-run lints ran)."""
        from model_trace import Trace

        answer = self.model.finish(proc.returncode) if exit else self.model.ask()
        return Trace(proc, [list(c) for c in list(self.connections)], list(self.malformed), answer)


def run_traced(python, script, args=(), config=None, timeout=60, env=None, module=False, kill_after=None, prelude=None,
               kill_when=None):
    """Runs `python -m async_inspector script args` against a fresh receiver; returns a Run. `kill_after`
    (seconds) stops a program that hangs on purpose (SIGKILL, as a timeout would), or earlier, half a second
    after `kill_when(trace so far)` is true (a deadline, not a fixed wait: a loaded machine may need longer);
    `prelude` is Python run before the agent starts (to simulate a failure)."""
    rcv = Receiver()
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = AGENT_PATH
    full_env["ASYNC_INSPECTOR_CHANNEL"] = "unix:" + rcv.path
    full_env["ASYNC_INSPECTOR_TOKEN"] = TOKEN
    full_env["ASYNC_INSPECTOR_CONFIG"] = json.dumps(config or {"flushMs": 20})
    target = [script] if module else [os.path.join(FIXTURES, script)]
    cmd = [python, "-m", "async_inspector"] + (["-m"] if module else []) + target + list(args)
    if prelude is not None:
        cmd[1:3] = ["-c", prelude + "\nimport runpy, sys\nsys.argv[0] = 'async_inspector'\n"
                                    "runpy.run_module('async_inspector', run_name='__main__')"]
    if kill_after is None:
        proc = subprocess.run(cmd, env=full_env, cwd=FIXTURES, capture_output=True, text=True, timeout=timeout)
    else:
        child = subprocess.Popen(cmd, env=full_env, cwd=FIXTURES, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        deadline, seen = time.monotonic() + kill_after, None
        while True:
            try:
                out, err = child.communicate(timeout=0.05)  # retrying after a timeout loses no output
                break
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if seen is None and kill_when and kill_when(_partial_trace(rcv)):
                    seen = now
                if now >= deadline or (seen is not None and now - seen >= 0.5):
                    child.kill()
                    out, err = child.communicate()
                    break
        proc = subprocess.CompletedProcess(cmd, child.returncode, out, err)
    rcv.close()
    return rcv.trace(proc)


def _partial_trace(rcv):
    return rcv.trace(None, exit=False)


class ModelReducer(object):
    """model_reducer.ts running in Node (bundled once per test process), fed line by line."""

    _bundle = None
    _bundle_lock = threading.Lock()

    @classmethod
    def bundle(cls):
        with cls._bundle_lock:
            if cls._bundle is None:
                out = os.path.join(tempfile.mkdtemp(prefix="ai-model-"), "model_reducer.js")
                subprocess.run([os.path.join(ROOT, "node_modules", ".bin", "esbuild"),
                                os.path.join(ROOT, "test", "python", "model_reducer.ts"), "--bundle", "--platform=node",
                                "--log-level=warning", "--outfile=" + out], check=True, cwd=ROOT, timeout=120)
                cls._bundle = out
            return cls._bundle

    def __init__(self):
        self.lock = threading.Lock()
        self.node = subprocess.Popen(["node", self.bundle()], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed(self, conn, line):
        with self.lock:
            self.node.stdin.write(b"%d %s\n" % (conn, line))

    def _ask(self, request):
        with self.lock:
            self.node.stdin.write(request)
            self.node.stdin.flush()
            answer = self.node.stdout.readline()
        if not answer:
            raise RuntimeError("the model reducer ended (exit %s)" % self.node.poll())
        return json.loads(answer)

    def ask(self):
        return self._ask(b"? \n")

    def finish(self, returncode):
        code, sig = (returncode, None) if returncode is None or returncode >= 0 else (None, signal.Signals(-returncode).name)
        answer = self._ask(b"! %s %s\n" % (json.dumps(code).encode(), json.dumps(sig).encode()))
        self.node.stdin.close()
        self.node.wait(30)
        return answer


def run_plain(python, script, args=(), timeout=60):
    return subprocess.run([python, os.path.join(FIXTURES, script)] + list(args), cwd=FIXTURES,
                          capture_output=True, text=True, timeout=timeout)
