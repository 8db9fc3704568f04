#!/usr/bin/env python3
"""`make bench`: every benchmark in turn, each in its own process (TensorFlow
and GDAL-only ones apart), printing its figures; results/ keeps the latest."""

import os
import subprocess  # nosec B404 - runs our own scripts
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHES = ("tiling_bench.py", "evaluate_bench.py", "models_bench.py", "training_bench.py",
           "prediction_bench.py", "backend_bench.py")


def main():
    failed = []
    for name in BENCHES:
        print(f"\n===== {name}", flush=True)
        if subprocess.call([sys.executable, os.path.join(HERE, name)]) != 0:  # nosec B603
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
