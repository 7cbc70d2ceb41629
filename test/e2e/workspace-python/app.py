"""e2e fixture: tasks that finish, one pending ~5 s, a gather, and a
blocking call (test/e2e/panel.test.ts looks for them)."""
import asyncio
import time


async def load_config():
    await asyncio.sleep(0.05)
    return {"retries": 2}


async def fetch_user(user_id):
    await asyncio.sleep(0.1 + user_id * 0.02)
    return {"id": user_id}


async def wait_for_approval():
    await asyncio.sleep(5)
    return "approved"


def build_report(users):
    # Synchronous work on the event loop for 250 ms: flagged as a blocking call.
    time.sleep(0.25)
    return len(users)


async def main():
    config = await load_config()
    users = await asyncio.gather(*(fetch_user(i) for i in range(1, 4)))
    report = build_report(users)
    approval = asyncio.create_task(wait_for_approval(), name="approval")
    print(f"config {config['retries']}, {report} users, {await approval}")


if __name__ == "__main__":
    asyncio.run(main())
