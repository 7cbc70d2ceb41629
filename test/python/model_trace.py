"""What the real model made of a traced run (model_reducer.ts answers; receiver.py asks): the report's tasks,
loops and flags as `--json` writes them (camelCase fields, locations resolved to {file, line, function}), what
the view showed over the run (each task's states and awaits after each delta, as the panel got them), and the
agent's raw messages per connection for asserts on the wire itself (hello, bye, rollups, event order)."""


class Task(dict):
    """A report task; its fields read as attributes (None when absent). `seen`: what the view showed of it after
    each delta that changed it; `states`: the states it showed, in order; `awaited`: every id it showed it awaiting."""

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        return self.get(key)

    def __repr__(self):
        return "<%s #%s %s %s>" % (self.get("kind"), self.get("id"), self.get("name"), self.get("state"))


def prefix_of(task_id):
    """"" for the first process's ids, "p2:" for "p2:12"."""
    head, sep, _ = str(task_id).partition(":")
    return head + sep if sep else ""


class Trace(object):
    def __init__(self, proc, connections, malformed, answer, prefixes=("",), messages=None):
        """`prefixes`: the processes whose tasks, loops and flags it holds (the first process's by default: the
        others' are processes())."""
        self.proc = proc
        self.connections = connections
        self.malformed = malformed
        self.answer = answer
        self.report = answer["report"]
        self.messages = messages if messages is not None else (connections[0] if connections else [])
        mine = lambda i: i is not None and prefix_of(i) in prefixes
        seen = answer["seen"]
        self.tasks = {}
        for t in self.report["tasks"]:
            if mine(t["id"]):
                task = Task(t, seen=seen.get(t["id"], []))
                states = [s["state"] for s in task["seen"]]
                task["states"] = [s for i, s in enumerate(states) if i == 0 or s != states[i - 1]]
                task["awaited"] = list(dict.fromkeys(i for s in task["seen"] for i in s["awaiting"]))
                self.tasks[t["id"]] = task
        self.loops = [l for l in self.report["loops"] if mine(l["id"])]
        standing = set(answer["standing"])
        flag_mine = lambda f: mine(f["task"]) if f["task"] else "" in prefixes
        self.shown_flags = [f for f in answer["flags"] if flag_mine(f)]
        self.findings = [f for f in self.shown_flags if f["id"] in standing]
        self.errors = self.report["agentErrors"]
        self.dropped = self.report["droppedEvents"]
        # channel lines or events the model could not take (unknown ids, bad shapes): none from a correct agent
        self.malformed_events = answer["malformedLines"] + answer["malformedEvents"]

    # the model and the view ---------------------------------------------------------------------
    def named(self, name):
        return [t for t in self.tasks.values() if t.name == name or t.name.endswith("(%s)" % name)]

    def one(self, name):
        found = self.named(name)
        assert len(found) == 1, "expected one %r, got %r (all: %r)" % (name, found, list(self.tasks.values()))
        return found[0]

    def inputs(self, ids):
        """The ids in `ids`, read through the combinator records the view showed between (asyncio.gather,
        asyncio.wait, a TaskGroup: kind "future", shown awaiting their inputs) down to the tasks."""
        out = []
        for i in ids:
            t = self.tasks.get(i)
            if t is not None and t.kind == "future" and t.awaited:
                out.extend(self.inputs(t.awaited))
            else:
                out.append(i)
        return out

    def awaits(self, task):
        """(ids, await line) for each await the view showed `task` parked in, in order (ids through combinators
        down to the tasks; none for a sleep)."""
        return [(self.inputs(s["awaiting"]), s["awaitAt"] and s["awaitAt"]["line"]) for s in task.seen
                if s["awaiting"] or s["awaitAt"]]

    def children(self, task):
        return [t for t in self.tasks.values() if t.parent == task.id]

    def of_kind(self, kind):
        return [t for t in self.tasks.values() if t.kind == kind]

    def flags(self, kind):
        return [f for f in self.findings if f["kind"] == kind]

    def processes(self):
        """{pid: (hello, Trace of that process)}, each connection a process (conn n's ids start "pn:")."""
        out = {}
        for n, conn in enumerate(self.connections):
            if conn and conn[0].get("type") == "hello":
                prefix = "" if n == 0 else "p%d:" % n
                out[conn[0]["pid"]] = (conn[0], Trace(self.proc, self.connections, self.malformed, self.answer,
                                                      prefixes=(prefix,), messages=conn))
        return out

    # the wire --------------------------------------------------------------------------------------
    @property
    def events(self):
        return [ev for m in self.messages if m.get("type") == "batch" for ev in m["events"]]

    @property
    def rollups(self):
        return [ev for ev in self.events if ev["e"] == "rollup"]

    @property
    def hello(self):
        return self.messages[0] if self.messages else None

    @property
    def bye(self):
        return self.messages[-1] if self.messages and self.messages[-1].get("type") == "bye" else None
