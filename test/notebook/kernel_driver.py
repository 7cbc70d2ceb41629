"""Starts a Jupyter kernel (ipykernel) with jupyter_client, as a notebook front end does, and runs a cell that
leaves tasks pending on the kernel's running event loop (where `asyncio.run()` would fail). Prints
`KERNEL <pid>`; then each line on stdin is a cell to run (its output printed as `OUT <text>`); EOF shuts down."""
import sys

from jupyter_client.manager import start_new_kernel

CELL = """
import asyncio
gate = asyncio.Event()

async def wait_for_data(i):
    await gate.wait()

jobs = [asyncio.create_task(wait_for_data(i), name=f"job-{i}") for i in range(5)]
"""


def run(kc, code):
    reply = kc.execute_interactive(code, timeout=30, output_hook=lambda msg: _print(msg))
    if reply["content"]["status"] != "ok":
        print("ERR %s" % reply["content"].get("evalue"), flush=True)


def _print(msg):
    if msg["msg_type"] == "stream":
        print("OUT %s" % msg["content"]["text"].strip(), flush=True)
    elif msg["msg_type"] == "execute_result":
        print("OUT %s" % msg["content"]["data"].get("text/plain", ""), flush=True)


def main():
    km, kc = start_new_kernel(kernel_name="python3", extra_arguments=["--HistoryManager.enabled=False"])
    try:
        run(kc, CELL)
        print("KERNEL %d" % km.provisioner.pid, flush=True)
        for line in sys.stdin:
            run(kc, line.strip())
            print("DONE", flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
