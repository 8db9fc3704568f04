"""The machine's NVIDIA GPUs as the driver reports them (``nvidia-smi``), with no
deep-learning framework imported: the one place that asks the driver.

Prediction sizes its GPU batch from :func:`gpu_free_bytes`, the self-check
lists :func:`nvidia_gpus`, and "Set up the engine" picks a CUDA package when
:func:`has_nvidia_driver`. Every answer degrades to "unknown" (None, [] or
False) when there is no driver, another vendor's GPU, or an error.
"""

import os
import shutil
import subprocess  # nosec B404 - nvidia-smi, found on PATH, fixed list argv, no shell

NVIDIA_SMI_TIMEOUT_S = 20


def query(*fields, which=shutil.which):
    """Rows of ``nvidia-smi --query-gpu=FIELDS`` (one list of strings per GPU, in
    nvidia-smi's order); [] when nvidia-smi is missing or fails."""
    exe = which("nvidia-smi")
    if not exe:
        return []
    try:
        proc = subprocess.run(  # nosec B603 - argv list, fixed query
            [exe, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=NVIDIA_SMI_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return []
    if proc.returncode != 0:
        return []
    return [[cell.strip() for cell in line.rsplit(",", len(fields) - 1)]
            for line in proc.stdout.splitlines() if line.strip()]


def nvidia_gpus():
    """[(name, memory_mb)] of the NVIDIA GPUs, in nvidia-smi's order."""
    gpus = []
    for row in query("name", "memory.total"):
        try:
            gpus.append((row[0], int(float(row[1]))))
        except (IndexError, ValueError):
            continue
    return gpus


def visible_gpu_index():
    """The GPU the frameworks use first: the first of CUDA_VISIBLE_DEVICES, else 0."""
    first = os.environ.get("CUDA_VISIBLE_DEVICES", "0").split(",")[0].strip()
    return int(first) if first.isdigit() else 0


def gpu_free_bytes(index=None):
    """Free memory in bytes of GPU ``index`` (default :func:`visible_gpu_index`);
    None when unknown."""
    index = visible_gpu_index() if index is None else index
    rows = query("memory.free")
    if index >= len(rows) or not rows[index][0].isdigit():
        return None
    return int(rows[index][0]) << 20


def has_nvidia_driver(which=shutil.which, driver_folder="/proc/driver/nvidia"):
    """Is an NVIDIA driver installed (nvidia-smi on the PATH or the kernel driver)?"""
    return bool(which("nvidia-smi")) or os.path.isdir(driver_folder)
