"""``python -m <package>.engine JOB.json``: run one engine job (see worker.py);
``python -m <package>.engine --status``: the self-check (status.py)."""

import sys

from .runtime.worker import main

if __name__ == "__main__":
    sys.exit(main())
