"""Start-up of child processes, one after another (run by children.py, not a test): `fork` (os.fork, the child
ends with os._exit(0), waitpid) or `spawn` (a multiprocessing spawn Process running a no-op, start + join).
Prints the milliseconds per child: wall, and the CPU the children used (user + system)."""
import multiprocessing
import os
import resource
import sys
import time


def nothing():
    pass


def main(mode, n):
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    for _ in range(n):
        if mode == "fork":
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
        else:
            p = ctx.Process(target=nothing)
            p.start()
            p.join()
    wall = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("%.2f %.2f" % (wall * 1000.0 / n, (ru.ru_utime + ru.ru_stime) * 1000.0 / n))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
