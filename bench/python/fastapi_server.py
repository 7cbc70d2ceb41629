"""Benchmark server: FastAPI on uvicorn (uvloop, httptools) on 127.0.0.1. Prints "port pid", serves until
a request to /stop. The handler awaits two small async functions and a sleep(0), like the Node bench's."""
import asyncio
import os

import uvicorn
from fastapi import FastAPI

app = FastAPI()
server = None


async def load_user(name):
    await asyncio.sleep(0)
    return {"name": name}


async def greeting(user):
    return "hello " + user["name"]


@app.get("/stop")
async def stop():
    server.should_exit = True
    return {"ok": True}


@app.get("/{name}")
async def hello(name: str):
    user = await load_user(name)
    await asyncio.sleep(0)
    return {"text": await greeting(user)}


async def main():
    global server
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, loop="uvloop", http="httptools",
                                           log_level="warning", access_log=False, lifespan="off"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    print(server.servers[0].sockets[0].getsockname()[1], os.getpid(), flush=True)
    await serving


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
