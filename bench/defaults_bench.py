"""Train Model's defaults on real data: the Landsat-8 chips of the west two
thirds of the scene (bench/landsat_holdout.py), every Train Model parameter
at its default but EPOCHS=15, then Predict Raster over the never-tiled east
third and its mean IoU; training seconds as the engine reports them.
Compare with bench/baseline_unet.py (same chips, same score).

    .venv/bin/python bench/defaults_bench.py [--runs 3] [--set KEY=VALUE ...]

``--set`` overrides a default (``--set model=unet --set width=0.5``), to
measure candidates for the defaults.
"""

import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import benchlib  # noqa: E402

benchlib.import_plugin()
import landsat_holdout  # noqa: E402


def one_run(holdout, work, overrides, seed):
    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.engine.predict import prediction
    from semantic_segmentation.engine.train import training

    out = os.path.join(work, f"model_{seed}.keras")
    start = time.perf_counter()
    result = training.run_job({"dataset": holdout.dataset, "output_model": out, "epochs": 15,
                               "seed": seed, **overrides})
    train_wall = time.perf_counter() - start
    meta = modelfile.read_metadata(out)
    meta["_train_wall_s"] = train_wall
    seconds = meta["history"]["duration_s"]
    predicted = os.path.join(work, f"east_{seed}.tif")
    prediction.run_job({"input": holdout.east_image, "model": out, "output": predicted}, None)
    miou = landsat_holdout.mean_iou(landsat_holdout.read(predicted),
                                    landsat_holdout.read(holdout.east_label))
    return miou, seconds, meta, result


def value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    overrides = {k: value(v) for k, v in (s.split("=", 1) for s in args.set)}
    with tempfile.TemporaryDirectory(prefix="semseg-defaults-") as work:
        holdout = landsat_holdout.prepare(work)
        runs = []
        for seed in range(args.runs):
            miou, seconds, meta, _ = one_run(holdout, work, overrides, seed)
            if not runs:
                print(f"Train Model defaults{' with ' + str(overrides) if overrides else ''}: "
                      f"{meta['model']} + {meta['encoder']}, width {meta['width']}, loss "
                      f"{meta['loss']}, {meta['optimizer']} {meta['learning_rate']} "
                      f"({meta['lr_mode']}), batch {meta['batch_size']}, 15 epochs; "
                      f"{os.cpu_count()} CPU cores", flush=True)
            runs.append((miou, seconds))
            print(f"  run {seed + 1}: mIoU {miou:.4f}, training {seconds:.1f} s (whole job, "
                  f"best epoch {meta['best_epoch']}, val mIoU {meta['best_val_miou']:.4f})",
                  flush=True)
        print(landsat_holdout.summary("defaults", runs)[-1])


if __name__ == "__main__":
    main()
