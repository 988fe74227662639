"""How long `nastavnik --help` takes, and what a command that opens the database costs on
top of it. Prints the median of N runs of each (the goal: --help under 0.3 s).

    .venv/bin/python bench/cli_startup.py [--runs 7]
"""

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "nastavnik --help": ["--help"],
    "nastavnik regimes": ["regimes"],
    "nastavnik scenario --help": ["scenario", "--help"],
    "python -c 'import nastavnik.cli'": None,
}


def timed(args) -> float:
    command = ([sys.executable, "-c", "import nastavnik.cli"] if args is None
               else [sys.executable, "-m", "nastavnik.cli", *args])
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    bare = statistics.median(timed_bare() for _ in range(runs))
    print(f"{'python -c pass (the interpreter alone)':<44} {bare:6.3f} s")
    for label, args in CASES.items():
        figure = statistics.median(timed(args) for _ in range(runs))
        print(f"{label:<44} {figure:6.3f} s   ({figure / bare:4.1f}x the interpreter)")


def timed_bare() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
