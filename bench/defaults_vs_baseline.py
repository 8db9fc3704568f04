"""Issue 13's target in one run: Train Model's defaults (EPOCHS=15) against the
plain U-Net baseline, alternating, on the same Landsat-8 chips and hold-out.

Each round trains the defaults (bench/defaults_bench.py's one_run: every Train
Model parameter at its default but EPOCHS=15, then Predict Raster over the
never-tiled east third) and the baseline (bench/baseline_unet.py's one_run:
~1.9 M-parameter U-Net, Adam 1e-3, cross-entropy, batch 8, no augmentation,
15 epochs), in alternating order round by round, so a change in the shared
machine's load hits both sides alike. Seconds are wall clock around the
whole training call for both sides (ours: Train Model's engine from reading
the dataset to the saved model file; the baseline: loading the chips,
building, compiling and fitting), and also each side's own figure (the job's
reported duration; the baseline's model.fit alone). The figure is the median
of the rounds; the load average is printed before and after each round.

    .venv/bin/python bench/defaults_vs_baseline.py [--runs 3] [--set KEY=VALUE ...]
        [--geometry east|west|south] [--output bench/results/defaults_vs_baseline.txt]

--geometry: which third of the scene is held out, never tiled (east: the
columns east of two thirds, bench/landsat_holdout.py's; west: the first third
of the columns; south: the last third of the rows); the chips come from the
rest. The default output file then ends in _<geometry> for the other two.
"""

import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import benchlib  # noqa: E402

benchlib.import_plugin()
import baseline_unet  # noqa: E402
import defaults_bench  # noqa: E402
import landsat_holdout  # noqa: E402


GEOMETRIES = ("east", "west", "south")


def prepare(work, geometry, seed=0):
    """The hold-out of ``geometry``: the scene's other two thirds tiled as
    landsat_holdout.prepare tiles its west part; a landsat_holdout.Holdout
    (its east_image/east_label: the held-out third, whichever it is)."""
    if geometry == "east":
        return landsat_holdout.prepare(work, seed)
    from osgeo import gdal

    from semantic_segmentation.engine.data import tiling

    data = os.path.join(work, "data")
    image, label = landsat_holdout.landsat_sample.write_sample(data)
    ds = gdal.Open(image)
    width, height = ds.RasterXSize, ds.RasterYSize
    if geometry == "west":
        cut = width - int(width * landsat_holdout.HOLDOUT)
        kept, held = [cut, 0, width - cut, height], [0, 0, cut, height]
    else:  # south
        cut = int(height * landsat_holdout.HOLDOUT)
        kept, held = [0, 0, width, cut], [0, cut, width, height - cut]
    bands = list(range(1, landsat_holdout.BANDS + 1))

    def window(src, name, src_win, band_list=None):
        path = os.path.join(data, name)
        gdal.Translate(path, gdal.Open(src), format="VRT", srcWin=src_win,
                       bandList=band_list)
        return path

    train_image = window(image, "train.vrt", kept, bands)
    train_label = window(label, "train_label.vrt", kept)
    dataset = os.path.join(work, "dataset")
    tiling.tile_scene(tiling.TileParams(train_image, dataset, label=train_label,
                                        tile_size=landsat_holdout.TILE, method="random",
                                        tiles_per_image=landsat_holdout.CHIPS,
                                        val_fraction=0.2, seed=seed))
    return landsat_holdout.Holdout(dataset, window(image, "held.vrt", held, bands),
                                   window(label, "held_label.vrt", held))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--geometry", choices=GEOMETRIES, default="east")
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    if args.output is None:
        suffix = "" if args.geometry == "east" else f"_{args.geometry}"
        args.output = os.path.join(HERE, "results", f"defaults_vs_baseline{suffix}.txt")
    overrides = {k: defaults_bench.value(v) for k, v in (s.split("=", 1) for s in args.set)}
    lines = []

    def say(text):
        print(text, flush=True)
        lines.append(text)

    import keras

    from semantic_segmentation.engine.train import training

    say(f"Defaults against the plain U-Net baseline ({time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} CPU cores; load {benchlib.load()})")
    say(f"hold-out: the {args.geometry} third of the scene")
    if overrides:
        say(f"Train Model parameters set: {overrides}")
    ours, base = [], []
    with tempfile.TemporaryDirectory(prefix="semseg-defaults-") as work:
        holdout = prepare(work, args.geometry)

        def run_defaults(seed):
            keras.backend.clear_session()
            miou, seconds, meta, _ = defaults_bench.one_run(holdout, work, overrides, seed)
            ours.append((miou, meta["_train_wall_s"], seconds))
            if len(ours) == 1:
                say(f"defaults: {meta['model']} + {meta['encoder']}, width {meta['width']}, "
                    f"loss {meta['loss']}, {meta['optimizer']} {meta['learning_rate']} "
                    f"({meta['lr_mode']}), batch {meta['batch_size']}, augmentation "
                    f"{overrides.get('augment', training.TrainParams.augment)}, 15 epochs")
            say(f"  defaults run {seed + 1}: mIoU {miou:.4f}, training {meta['_train_wall_s']:.1f} s "
                f"wall ({seconds:.1f} s by the job; best epoch {meta['best_epoch']}); "
                f"load {benchlib.load()}")

        def run_baseline(seed):
            keras.backend.clear_session()
            miou, fit_s, params, chips, wall = baseline_unet.one_run(holdout, 15, seed)
            base.append((miou, wall, fit_s))
            if len(base) == 1:
                say(f"baseline: plain U-Net, {params:,} parameters, {chips} chips, Adam 1e-3, "
                    f"batch 8, no augmentation, 15 epochs")
            say(f"  baseline run {seed + 1}: mIoU {miou:.4f}, training {wall:.1f} s wall "
                f"({fit_s:.1f} s in model.fit); load {benchlib.load()}")

        for seed in range(args.runs):
            order = (run_defaults, run_baseline) if seed % 2 == 0 else (run_baseline,
                                                                         run_defaults)
            for run in order:
                run(seed)
    med = {name: (benchlib.median([r[0] for r in rows]), benchlib.median([r[1] for r in rows]))
           for name, rows in (("defaults", ours), ("baseline", base))}
    for name, (miou, wall) in med.items():
        say(f"{name}: median of {args.runs}: mIoU {miou:.4f}, training {wall:.1f} s wall")
    miou_ok = med["defaults"][0] >= med["baseline"][0]
    time_ok = med["defaults"][1] <= med["baseline"][1]
    say(f"target (defaults' mIoU >= baseline's, in no more training time): mIoU "
        f"{'met' if miou_ok else 'NOT met'} ({med['defaults'][0] - med['baseline'][0]:+.4f}), "
        f"time {'met' if time_ok else 'NOT met'} "
        f"({med['defaults'][1] / med['baseline'][1]:.2f}x the baseline's)")
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
