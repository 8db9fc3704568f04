"""What every benchmark needs first: the repository importable as
``semantic_segmentation`` (the name the plugin is installed under), through
the same link in the venv that `make install` and the tests use."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")


def import_plugin():
    """Make ``import semantic_segmentation`` work; return the folder to put on
    PYTHONPATH for child processes."""
    os.makedirs(PLUGINS, exist_ok=True)
    link = os.path.join(PLUGINS, "semantic_segmentation")
    if not os.path.islink(link):
        os.symlink(ROOT, link)
    if PLUGINS not in sys.path:
        sys.path.insert(0, PLUGINS)
    return PLUGINS


def load():
    """The machine's load average (1, 5, 15 min) as text, to print beside figures."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def alternate(functions, repeats, before=None):
    """Time each of ``functions`` ({name: fn}) ``repeats`` times, alternating
    between them round by round (so a change in the machine's load hits every
    side alike); ``before()`` runs untimed before each call. Returns
    ({name: [seconds, ...]}, {name: last result})."""
    import time

    times = {name: [] for name in functions}
    results = {}
    for _ in range(repeats):
        for name, fn in functions.items():
            if before is not None:
                before()
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)
    return times, results


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2])


def runs(values):
    """All runs, for the record: '0.512, 0.498, ...'."""
    return ", ".join(f"{v:.3f}" for v in values)


def worker_job(task, params, folder, backend=None, timeout=1800):
    """Run one engine job in the worker process, as QGIS starts it (``python -m
    semantic_segmentation.engine JOB.json``; ``backend``: the Engine backend
    setting, passed as SEMSEG_BACKEND, KERAS_BACKEND unset). Returns
    ``(messages, seconds)``: each of the worker's JSON lines as ``(seconds since
    the start, message)``, the last a "result" or "error" (or a made-up
    "error" with the end of its stderr when it died), and the whole run's
    seconds."""
    import json
    import subprocess  # nosec B404 - our own worker, list argv
    import tempfile
    import threading
    import time

    with tempfile.NamedTemporaryFile("w", suffix=f"-{task}.json", dir=folder,
                                     delete=False) as f:
        json.dump({"task": task, "params": params}, f)
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (import_plugin(), os.environ.get("PYTHONPATH")) if p)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if backend:
        env["SEMSEG_BACKEND"] = backend
    start = time.perf_counter()
    proc = subprocess.Popen(  # nosec B603 - our own worker, list argv
        [sys.executable, "-m", "semantic_segmentation.engine", f.name], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stderr = []
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)
    reader.start()
    messages = []
    try:
        for line in proc.stdout:
            try:
                messages.append((time.perf_counter() - start, json.loads(line)))
            except ValueError:
                continue
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        os.remove(f.name)
    if not messages or messages[-1][1].get("type") not in ("result", "error"):
        messages.append((time.perf_counter() - start, {
            "type": "error", "message": f"the worker ended (exit code {proc.returncode})",
            "traceback": "".join(stderr[-20:])}))
    return messages, time.perf_counter() - start
