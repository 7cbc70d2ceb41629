"""The private channel to the inspector: NDJSON over a Unix socket or TCP loopback.

A daemon writer thread flushes batches every flushMs; the atexit hook stops it, flushes the rest and
sends `bye` synchronously, so nothing recorded before exit is lost. Under debugpy the writer keeps running
while the program is paused (threads.py) and ends the complete batch it sends at each stop with a `paused`
event (debugger.py).
"""
import json
import socket
import threading

from . import debugger, guard, protocol, snapshot, state
from .threads import start_agent_thread

_dumps = json.JSONEncoder(separators=(",", ":"), default=str).encode
MAX_EVENTS_PER_BATCH = 50000


class Channel(object):
    def __init__(self, spec):
        kind, _, rest = spec.partition(":")
        if kind == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(rest)
        elif kind == "tcp":
            host, _, port = rest.rpartition(":")
            sock = socket.create_connection((host, int(port)))
        else:
            raise ValueError("unknown channel %r" % spec)
        self.sock = sock
        self.dead = False
        self.seq = 0
        self.dropped = 0
        self.flush_lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = None
        self.pauses = debugger.PauseWatch()

    def send(self, messages):
        if self.dead or not messages:
            return
        data = "".join(_dumps(m) + "\n" for m in messages).encode("utf-8")
        try:
            self.sock.sendall(data)
        except OSError:
            self.dead = True  # the inspector went away: keep the program running, stop sending

    def flush(self, final=False, complete=False, then=None):
        """Build one batch from everything recorded since the last flush and send it. `then()` gives an event
        that goes last in that batch (a `paused` names tasks the events before it created)."""
        with self.flush_lock:
            try:
                events = snapshot.build(final, complete)
                if then is not None:
                    events.append(then())
            except Exception as e:
                guard.report("flush", e)
                events = []
            msgs = guard.take_errors()
            if len(events) > MAX_EVENTS_PER_BATCH:
                self.dropped += len(events) - MAX_EVENTS_PER_BATCH
                events = events[:MAX_EVENTS_PER_BATCH]
            if events or self.dropped:
                self.seq += 1
                wire = [protocol.to_wire(ev) for ev in events]
                msgs.append({"type": "batch", "seq": self.seq, "dropped": self.dropped, "events": wire})
                self.dropped = 0
            self.send(msgs)

    def tick(self):
        """The writer's periodic work. When the debugger has just stopped the program (the writer is not
        suspended with it), the flush is complete and ends with a `paused` event naming the paused task."""
        try:
            stop = self.pauses.poll()
        except Exception as e:
            guard.report("watching the debugger", e)
            stop = None
        if stop is None:
            self.flush()
        elif "paused" in protocol.EVENT_FIELDS:
            self.flush(complete=True, then=lambda: debugger.pause_event(stop, state.ms(state.perf())))
        else:
            self.flush(complete=True)

    def start_writer(self):
        interval = max(0.005, float(state.config.get("flushMs", 50)) / 1000.0)

        def run():
            while not self.stop.wait(interval):
                self.tick()

        # may fail under load ("can't start new thread"): then only the exit flush sends
        thread = start_agent_thread(run, "async-inspector-writer")
        self.thread = thread  # set once started: close() must never join a thread that did not start

    def close(self, exit_code):
        """atexit: stop the writer, flush what is left, say bye."""
        self.stop.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(2.0)
        self.flush(final=True)
        bye = {"type": "bye", "t": state.ms(state.perf())}
        if exit_code is not None:
            bye["exitCode"] = exit_code
        self.send([bye])
        try:
            self.sock.close()
        except OSError:
            pass
