# Extension-host suite fixture (test/exthost/suite/followingPython.ts): a task that waits a minute, firstRun on
# the first run and secondRun on the next (a counter file beside it), so a restarted program's tasks can be told
# from the old one's.
import asyncio
import os

COUNTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pending-py-restart.count")


async def firstRun():
    await asyncio.sleep(60)


async def secondRun():
    await asyncio.sleep(60)


async def main():
    run = (int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0) + 1
    with open(COUNTER, "w") as f:
        f.write(str(run))
    work = firstRun if run == 1 else secondRun
    await asyncio.create_task(work(), name=work.__name__)


asyncio.run(main())
