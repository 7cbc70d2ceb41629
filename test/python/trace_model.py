"""Reduces the agent's messages the way the inspector's model does, so tests can assert what the panel
shows: tasks with state, parent, awaiting, site, timings; loops; findings; rollups."""


class Task(object):
    def __init__(self, ev, sites):
        self.id = ev["id"]
        self.kind = ev["kind"]
        self.name = ev["name"]
        self.parent = ev["parent"]
        self.site = sites.get(ev["site"])
        self.loop = ev.get("loop")
        self.created = ev["t"]
        self.started = None
        self.ended = None
        self.state = "pending"
        self.states = ["pending"]
        self.thread = None
        self.awaiting = []
        self.await_site = None
        self.await_history = []
        self.run_ms = None
        self.error = None
        self.result = None
        self.steps = []

    def __repr__(self):
        return "<%s #%s %s %s>" % (self.kind, self.id, self.name, self.state)


class Trace(object):
    def __init__(self, proc, connections, malformed):
        self.proc = proc
        self.connections = connections
        self.malformed = malformed
        self.messages = connections[0] if connections else []
        self.sites = {}
        self.tasks = {}
        self.loops = {}
        self.findings = []
        self.rollups = []
        self.errors = []
        self.dropped = 0
        self.problems = []  # protocol violations seen while reducing
        for msg in self.messages:
            self._apply(msg)

    def _apply(self, msg):
        kind = msg.get("type")
        if kind == "batch":
            self.dropped += msg["dropped"]
            for ev in msg["events"]:
                self._event(ev)
        elif kind == "agent-error":
            self.errors.append(msg)

    def _event(self, ev):
        e = ev["e"]
        for key in ("site",):
            if key in ev and ev[key] is not None and e != "site" and ev[key] not in self.sites:
                self.problems.append("site %s used before sent" % ev[key])
        if e == "site":
            self.sites[ev["id"]] = (ev["file"], ev["line"], ev["fn"])
        elif e == "loop":
            self.loops[ev["id"]] = ev
        elif e == "create":
            self.tasks[ev["id"]] = Task(ev, self.sites)
        elif e in ("state", "await", "end", "name", "step"):
            t = self.tasks.get(ev["id"])
            if t is None:
                self.problems.append("%s for unknown id %s" % (e, ev["id"]))
                return
            if e == "state":
                t.state = ev["state"]
                t.states.append(ev["state"])
                if ev["state"] == "running" and t.started is None:
                    t.started = ev["t"]
                if ev.get("thread"):
                    t.thread = ev["thread"]
            elif e == "await":
                t.awaiting = ev["on"]
                t.await_site = self.sites.get(ev["site"])
                t.await_history.append((ev["on"], t.await_site))
            elif e == "end":
                t.state = ev["state"]
                t.states.append(ev["state"])
                t.ended = ev["t"]
                t.run_ms = ev.get("runMs")
                t.error = ev.get("error")
                t.result = ev.get("result")
                t.awaiting = []
            elif e == "name":
                t.name = ev["name"]
            else:
                t.steps.append((ev["t"], ev["dur"]))
        elif e == "finding":
            ev = dict(ev)
            ev["site_loc"] = self.sites.get(ev["site"])
            self.findings.append(ev)
        elif e == "rollup":
            self.rollups.append(ev)

    # queries -------------------------------------------------------------------------------------
    def named(self, name):
        return [t for t in self.tasks.values() if t.name == name or t.name.endswith("(%s)" % name)]

    def one(self, name):
        found = self.named(name)
        assert len(found) == 1, "expected one %r, got %r (all: %r)" % (name, found, list(self.tasks.values()))
        return found[0]

    def inputs(self, on):
        """The ids in an await's `on`, read through combinator records (asyncio.gather, asyncio.wait, a
        TaskGroup: kind "future", awaiting their inputs) down to the tasks."""
        out = []
        for i in on:
            t = self.tasks.get(i)
            if t is not None and t.kind == "future" and t.await_history:
                out.extend(self.inputs(t.await_history[0][0]))
            else:
                out.append(i)
        return out

    def children(self, task):
        return [t for t in self.tasks.values() if t.parent == task.id]

    def of_kind(self, kind):
        return [t for t in self.tasks.values() if t.kind == kind]

    def flags(self, kind):
        return [f for f in self.findings if f["kind"] == kind]

    @property
    def hello(self):
        return self.messages[0] if self.messages else None

    @property
    def bye(self):
        return self.messages[-1] if self.messages and self.messages[-1].get("type") == "bye" else None
