"""The wire contract, mirrored from src/protocol/events.ts.

test/unit/protocol-drift.test.ts dumps EVENT_FIELDS as JSON and compares it with the TypeScript table,
so a field added on one side only fails a test.
"""

PROTOCOL_VERSION = 2
AGENT_VERSION = "0.1.0"

ENV_CHANNEL = "ASYNC_INSPECTOR_CHANNEL"  # "unix:/path/to.sock" or "tcp:127.0.0.1:PORT"
ENV_TOKEN = "ASYNC_INSPECTOR_TOKEN"
ENV_CONFIG = "ASYNC_INSPECTOR_CONFIG"  # JSON AgentConfig
ENV_SESSION = "ASYNC_INSPECTOR_SESSION"  # the debug session that injected the agent (sitecustomize route only)

# Every event kind with its fields: required first, then optional ones after '?'.
EVENT_FIELDS = {
    "site": ["id", "file", "line", "fn", "?", "col"],
    "loop": ["id", "name", "thread", "t"],
    "create": ["id", "kind", "name", "parent", "site", "t", "?", "stack", "loop", "attach"],
    "name": ["id", "name"],
    "state": ["id", "state", "t", "?", "thread"],
    "await": ["id", "on", "site", "t"],
    "step": ["id", "t", "dur"],
    "end": ["id", "state", "t", "?", "runMs", "error", "result"],
    "rollup": ["kind", "name", "site", "parent", "count", "failed", "cancelled", "totalMs", "t"],
    "finding": ["kind", "message", "t", "site", "?", "stack", "task", "dur", "loop", "error", "key"],
    "retract": ["key"],
    "paused": ["task", "t"],
    "exited": ["pid", "code", "t"],
}

# Events travel positionally, as src/protocol/wire-events.ts decodes them: [kind, *fields in EVENT_FIELDS
# order]; an absent optional field is None, and absent optional fields at the end are left out.
_LAYOUTS = {}
for _kind, _fields in EVENT_FIELDS.items():
    _names = [f for f in _fields if f != "?"]
    _LAYOUTS[_kind] = (_names, _fields.index("?") if "?" in _fields else len(_fields))


def to_wire(ev):
    """One event dict as the list that goes on the wire."""
    names, required = _LAYOUTS[ev["e"]]
    out = [ev["e"]]
    out.extend([ev.get(f) for f in names])
    while len(out) > required + 1 and out[-1] is None:
        out.pop()
    return out


def from_wire(ev):
    """A wire list back as the event dict (the inverse of to_wire; the agent's tests read the channel with it)."""
    names, required = _LAYOUTS[ev[0]]
    out = {"e": ev[0]}
    for i, value in enumerate(ev[1:]):
        if i < required or value is not None:
            out[names[i]] = value
    return out


# hello may carry "threadId" (Node only: a worker thread traced as its own connection); Python never sends it.
# hello carries "session" when the agent was injected into a debug session (ENV_SESSION).
