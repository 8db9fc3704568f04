"""multi_worker for real: two engine processes on 127.0.0.1 form one
MultiWorkerMirroredStrategy cluster through TF_CONFIG, train together, and only
the chief writes the model file."""

import json
import os
import socket
import subprocess  # nosec B404 - our own engine with a list argv
import sys

import pytest

from datasets import write_dataset

pytest.importorskip("tensorflow")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
TINY = {"model": "unet", "encoder": "unet_native", "width": 0.25, "batch_size": 4,
        "epochs": 1, "steps_per_epoch": 2, "seed": 1, "augment": False,
        "strategy": "multi_worker"}


def _free_ports(n):
    """``n`` loopback ports free right now (bound to port 0, then released)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def test_two_workers_train_together_and_only_the_chief_saves(tmp_path):
    data = write_dataset(tmp_path / "dataset", n_train=8, n_val=2)
    cluster = {"worker": [f"127.0.0.1:{port}" for port in _free_ports(2)]}
    procs, outputs = [], []
    for index in range(2):
        out = tmp_path / f"model_{index}.keras"
        outputs.append(out)
        job = tmp_path / f"job_{index}.json"
        job.write_text(json.dumps({"task": "train", "params": {
            "dataset": data, "output_model": str(out), **TINY}}))
        env = dict(os.environ, PYTHONPATH=PLUGINS, TF_CPP_MIN_LOG_LEVEL="2",
                   TF_CONFIG=json.dumps({"cluster": cluster,
                                         "task": {"type": "worker", "index": index}}))
        procs.append(subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "semantic_segmentation.engine", str(job)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    try:
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=400)
            assert proc.returncode == 0, stdout[-3000:] + stderr[-3000:]
            results.append([json.loads(line) for line in stdout.splitlines() if line.strip()])
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    for lines in results:
        logs = [line for line in lines if line["type"] == "log"]
        assert any(line.get("values", {}).get("replicas") == 2 for line in logs), \
            [line.get("message") for line in logs]
        assert [line["type"] for line in lines].count("result") == 1
    assert outputs[0].exists()  # worker 0 is the chief: it saves
    assert not outputs[1].exists()  # the other worker's copy is dropped
