"""Attach and detach inside a running program, under every interpreter of the matrix: the agent adopts the
pending tasks (create events marked attach), and when the inspector closes the channel every hook is put back,
its threads stop, and a second attach works (detach_roundtrip.py does it and reports)."""
import json
import os
import subprocess

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
AGENT = os.path.abspath(os.path.join(ROOT, "src", "agents", "python"))
SCRIPT = os.path.join(os.path.dirname(__file__), "attach", "detach_roundtrip.py")


def test_attach_then_detach_restores_everything(python):
    out = subprocess.run([python, SCRIPT, AGENT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["firstHello"], seen
    assert seen["adopted"] >= 3, seen  # the three parked tasks (and main) were sent as found at attach
    assert seen["restored"], "left patched after the detach: %s" % seen["changed"]
    assert seen["secondHello"], "a second attach after the detach connects again"
    assert seen["enabled"] is False and seen["agentThreads"] == [], seen
