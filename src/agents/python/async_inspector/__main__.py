"""`python -m async_inspector script.py [args]` or `python -m async_inspector -m module [args]`.

Traces the program when ASYNC_INSPECTOR_CHANNEL is set (the launcher sets it); otherwise runs it untraced.
"""
import sys

USAGE = "usage: python -m async_inspector script.py [args...] | -m module [args...]\n"


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write(USAGE)
        return 2
    from . import agent, runner

    if argv[0] == "-m":
        if len(argv) < 2:
            sys.stderr.write(USAGE)
            return 2
        agent.start_guarded(argv[1:])
        runner.run_module(argv[1], argv[2:])
    else:
        agent.start_guarded(argv)
        runner.run_path(argv[0], argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
