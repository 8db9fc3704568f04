"""Train Model and Predict Raster on each Keras backend: TensorFlow, PyTorch, JAX.

    .venv/bin/python bench/backend_bench.py [--backends tensorflow,torch,jax] [--rounds 3]
        [--chips 160] [--size 64] [--batch 8] [--epochs 2] [--scene 2048]
        [--output bench/results/backends.txt]

Every run is the worker's own job (``python -m semantic_segmentation.engine
JOB.json``, as QGIS starts it) with the Engine backend setting (SEMSEG_BACKEND)
naming the backend: Keras's backend is fixed per process, so each run is a
process of its own. The backends take turns, round by round (``--rounds``),
so a change in the machine's load hits each alike; the figures are medians
over the rounds, each run's figures and the machine's load (1, 5, 15 min,
after the run) are printed beside them. Only the backends installed run.

(a) Train Model's training step: the same synthetic dataset (Tile Dataset's
    format: ``--chips`` chips of ``--size`` px, 3 bands, 3 classes, 16
    validation chips), Train Model's default network (unet + unet_native at its
    default width, 0.375), batch ``--batch``, augmentation on, every other
    setting at Train Model's default (mixed precision auto: float32 on a CPU),
    ``--epochs`` epochs. Seconds per step from the job's progress lines: for
    each epoch after the first (the first traces or compiles the step), from
    the previous epoch's end (after its validation and checkpoint) to the
    line of the epoch's last step, over the epoch's steps; so validation is
    out of it. Also printed: the first epoch (with the compile), a whole epoch
    after the first (with validation and the resume checkpoint), and the
    job's wall time (the process's start, imports and the model file's save
    included).
(b) Predict Raster's throughput on a synthetic ``--scene`` x ``--scene`` x 3
    scene (UInt16, tiled GeoTIFF) with one model file (the first backend's
    model of round 1) on each backend, every setting at its default (the
    window plan on auto). The figure: scene Mpx/s from the job's "model
    loaded" log line to its result (so the process's start, imports and the
    model's load are out; the first batch's tracing, the reading, the other
    windows, the writing and the overviews are in); also the job's own
    steady rate (its "First batch (with tracing) ...; the other windows ..."
    line: window pixels, overlap included, after the first batch) and the
    whole job from the process's start.
"""

import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(ROOT, "tests"), os.path.join(ROOT, "tests", "engine")]
import benchlib  # noqa: E402

benchlib.import_plugin()

from datasets import write_dataset  # noqa: E402  (tests/engine/datasets.py)
from gpu_check import backend_line, write_scene  # noqa: E402  (bench/gpu_check.py)
from semantic_segmentation.engine import backends  # noqa: E402  (no Keras at import)

MODEL, ENCODER = "unet", "unet_native"  # Train Model's default network
N_VAL = 16


def _error(messages):
    kind, message = messages[-1][1].get("type"), messages[-1][1]
    if kind == "result":
        return None
    return (message.get("message", "") + "\n" + message.get("traceback", "")).strip()


def _logs(messages):
    return [m.get("message", "") for _t, m in messages if m.get("type") == "log"]


def training_figures(messages, wall):
    """Seconds per step after the first epoch, and the run's other times, from
    the train job's progress lines."""
    last_step, epoch_end, steps_at = {}, {}, {}
    setup = None
    for t, m in messages:
        if m.get("type") == "log" and "parameters" in (m.get("values") or {}):
            setup = t  # "...: N parameters; E epochs of S steps ...", just before step 1
        if m.get("type") != "progress" or not m.get("step"):
            continue
        metrics = m.get("metrics") or {}
        if "epoch" in metrics:
            epoch_end[metrics["epoch"]] = t
        elif metrics:
            last_step[m["epoch"]] = t
            steps_at[m["epoch"]] = m["step"]
    timed = [e for e in sorted(last_step) if e - 1 in epoch_end and e > 1]
    seconds = sum(last_step[e] - epoch_end[e - 1] for e in timed)
    steps = sum(steps_at[e] - steps_at[e - 1] for e in timed)
    whole = [epoch_end[e] - epoch_end[e - 1] for e in timed if e in epoch_end]
    return {
        "s_per_step": seconds / steps if steps else None,
        "timed_steps": steps,
        "steps_per_epoch": steps_at.get(1),
        "first_epoch_s": last_step[1] - setup if 1 in last_step and setup else None,
        "epoch_s": benchlib.median(whole) if whole else None,
        "wall_s": wall,
        "backend_line": backend_line(_logs(messages)),
    }


def prediction_figures(messages, wall, pixels):
    """Scene Mpx/s after the model's load, and the job's own steady rate."""
    loaded = steady = None
    for t, m in messages:
        values = m.get("values") or {}
        if m.get("type") != "log":
            continue
        if m.get("template", "").startswith("Keras and the model loaded"):
            loaded = t
        if "t_first" in values and "rate" in values:
            steady = values
    t_result, result = messages[-1][0], messages[-1][1]["result"]
    figures = {
        "mpx_s": pixels / (t_result - loaded) / 1e6 if loaded else None,
        "after_load_s": t_result - loaded if loaded else None,
        "job_mpx_s": pixels / result["seconds"] / 1e6,
        "wall_s": wall,
        "window": result["plan"].get("window"),
        "batch": result["plan"].get("batch"),
        "windows": result["windows"],
        "backend_line": backend_line(_logs(messages)),
    }
    if steady and steady["rest"]:
        figures.update(windows_mpx_s=steady["rate"], first_batch_s=steady["t_first"],
                       rest_windows=steady["rest"], rest_s=steady["end"])
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default=",".join(backends.KERAS_BACKENDS),
                        help="comma-separated; those not installed are left out")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chips", type=int, default=160, help="training chips")
    parser.add_argument("--size", type=int, default=64, help="chip size, px")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2, help="the first is not timed")
    parser.add_argument("--scene", type=int, default=2048, help="scene width and height, px")
    parser.add_argument("--output", default=None, help="also write the report here")
    args = parser.parse_args()
    wanted = [b.strip() for b in args.backends.split(",") if b.strip()]
    names = [b for b in wanted if backends.installed(b)]
    if args.output and os.path.exists(args.output + ".partial"):
        os.remove(args.output + ".partial")

    def say(line=""):
        print(line, flush=True)
        if args.output:
            with open(args.output + ".partial", "a") as f:  # kept if the run is cut short
                f.write(line + "\n")

    absent = sorted(set(wanted) - set(names))
    say(f"Backend benchmark: {', '.join(names)} ({os.cpu_count()} CPU cores; "
        f"{'not installed: ' + ', '.join(absent) if absent else 'all installed'}); "
        f"{args.rounds} rounds, the backends taking turns; medians over the rounds.")
    say(f"  load at the start: {benchlib.load()}")
    if not names:
        raise SystemExit("No Keras backend installed.")
    with tempfile.TemporaryDirectory(prefix="semseg-backend-bench-") as work:
        dataset = write_dataset(os.path.join(work, "dataset"), n_train=args.chips,
                                n_val=N_VAL, size=args.size)
        pixels = args.scene * args.scene
        scene = write_scene(os.path.join(work, "scene.tif"), args.scene)

        # (a) training
        say(f"\n(a) Train Model's job: {args.chips} chips of {args.size} x {args.size} x 3 "
            f"(+{N_VAL} validation), {MODEL} + {ENCODER} at its default width, batch "
            f"{args.batch}, augmentation on, {args.epochs} epochs; s/step over epochs 2.."
            f"{args.epochs} (validation out)")
        train, models, failed = {b: [] for b in names}, {b: [] for b in names}, []

        def run_round(task, backend, results, params, figures):
            """One round of ``task`` on ``backend``: ``(its figures or None, round
            number)``; a failure is kept in ``failed`` and said."""
            k = len(results[backend]) + len([f for f in failed if f[:2] == (backend, task)])
            messages, wall = benchlib.worker_job(task, params(k), work, backend)
            error = _error(messages)
            if error:
                failed.append((backend, task, error))
                say(f"  round {k + 1} {backend:10s}: FAILED ({error.splitlines()[0]}); "
                    f"load {benchlib.load()}")
                return None, k
            results[backend].append(figures(messages, wall))
            return results[backend][-1], k

        def completed(results):
            """``(backend, runs)`` of the backends with at least one run; says the others."""
            for b in names:
                if results[b]:
                    yield b, results[b]
                else:
                    say(f"    {b:10s}: no run completed")

        def train_params(k, backend):
            return {"dataset": dataset, "output_model": os.path.join(work, f"{backend}-{k}.keras"),
                    "model": MODEL, "encoder": ENCODER, "batch_size": args.batch,
                    "epochs": args.epochs, "augment": True, "seed": 0}

        def train_run(backend):
            f, k = run_round("train", backend, train,
                             lambda k: train_params(k, backend), training_figures)
            if f is None:
                return
            models[backend].append(train_params(k, backend)["output_model"])
            say(f"  round {k + 1} {backend:10s}: {f['s_per_step']:.3f} s/step "
                f"({f['timed_steps']} steps), first epoch {f['first_epoch_s']:.1f} s, "
                f"epoch with validation {f['epoch_s']:.1f} s, job {f['wall_s']:.1f} s; "
                f"load {benchlib.load()}")

        benchlib.alternate({b: (lambda b=b: train_run(b)) for b in names}, args.rounds)
        say("  medians:")
        for b, runs in completed(train):
            step = benchlib.median([r["s_per_step"] for r in runs])
            say(f"    {b:10s}: {step:.3f} s/step = {args.batch / step:.1f} chips/s; first "
                f"epoch {benchlib.median([r['first_epoch_s'] for r in runs]):.1f} s, "
                f"epoch {benchlib.median([r['epoch_s'] for r in runs]):.1f} s, job "
                f"{benchlib.median([r['wall_s'] for r in runs]):.1f} s "
                f"[s/step runs: {benchlib.runs([r['s_per_step'] for r in runs])}]; "
                f"{runs[-1]['backend_line']}")

        # (b) prediction
        source = next((b for b in names if models[b]), None)
        if source is None:
            raise SystemExit("No training run completed: no model to predict with.")
        model = models[source][0]
        say(f"\n(b) Predict Raster's job: a {args.scene} x {args.scene} x 3 scene "
            f"({pixels / 1e6:.1f} Mpx), the model file of {source}'s round 1, every "
            f"setting on auto; Mpx/s from the model's load to the result")
        predict = {b: [] for b in names}

        def predict_run(backend):
            def params(k):
                return {"input": scene, "model": model,
                        "output": os.path.join(work, f"classes-{backend}-{k}.tif")}

            f, k = run_round("predict", backend, predict, params,
                             lambda messages, wall: prediction_figures(messages, wall, pixels))
            if f is None:
                return
            os.remove(params(k)["output"])
            steady = (f"; steady {f['windows_mpx_s']:.2f} Mpx/s of windows after the first "
                      f"batch ({f['first_batch_s']:.1f} s)" if "windows_mpx_s" in f else "")
            say(f"  round {k + 1} {backend:10s}: {f['mpx_s']:.2f} Mpx/s "
                f"({f['after_load_s']:.1f} s after the load; window {f['window']}, batch "
                f"{f['batch']}, {f['windows']} windows){steady}; job {f['wall_s']:.1f} s; "
                f"load {benchlib.load()}")

        benchlib.alternate({b: (lambda b=b: predict_run(b)) for b in names}, args.rounds)
        say("  medians:")
        for b, runs in completed(predict):
            steady = [r["windows_mpx_s"] for r in runs if "windows_mpx_s" in r]
            say(f"    {b:10s}: {benchlib.median([r['mpx_s'] for r in runs]):.2f} Mpx/s after "
                f"the load, "
                + (f"{benchlib.median(steady):.2f} Mpx/s of windows steady, " if steady else "")
                + f"job {benchlib.median([r['wall_s'] for r in runs]):.1f} s from the process's "
                f"start ({pixels / benchlib.median([r['wall_s'] for r in runs]) / 1e6:.2f} "
                f"Mpx/s) [runs: {benchlib.runs([r['mpx_s'] for r in runs])}]; "
                f"{runs[-1]['backend_line']}")
    say(f"\n  load at the end: {benchlib.load()}")
    for backend, task, error in failed:
        say(f"FAILED: {task} on {backend}: {error[-1500:]}")
    if args.output:
        os.replace(args.output + ".partial", args.output)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
