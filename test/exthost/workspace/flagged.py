# Extension-host suite fixture: one coroutine never awaited at the marked line (test/exthost/suite/session.ts).
import asyncio


async def refresh():
    await asyncio.sleep(0.01)


async def main():
    refresh()  # expect: never-awaited
    await asyncio.sleep(0.05)
    print("flagged.py done")


asyncio.run(main())
