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
        [--seeds 2,0,1] [--no-baseline] [--trace] [--per-class]
        [--augment-fill cval|mean] [--append]

--geometry: which third of the scene is held out, never tiled (east: the
columns east of two thirds, bench/landsat_holdout.py's; west: the first third
of the columns; south: the last third of the rows); the chips come from the
rest, 300 random windows of 128 px over bands B1-B7, 20 % of them validating.
demo: scripts/demo.py's split, which differs in chip size, number and tiling
too: the east third held out, the rest cut into 64 px chips every 32 px over
all ten bands, 15 % validating (221 chips). The default output file then ends
in _<geometry> for all but east.

For investigating one side (the defaults left as they are without these):
--seeds: the rounds' seeds, comma-separated (default 0..runs-1); --no-baseline:
train the defaults only; --trace: after every epoch, print the loss, the
learning rate, the validation chips' and the held-out third's mean and
per-class IoU with that epoch's weights (the held-out one predicted in one
piece, not by Predict Raster), and the saved model's per-class held-out IoU;
--per-class: only the saved model's per-class held-out IoU (no per-epoch
trace); --augment-fill mean: (diagnosis) augmentation fills a zoomed-out
chip's border with the training mean whatever CVAL says (Train Model's
default since the CVAL=None change; before it, CVAL defaulted to a raw 0:
--set cval=0 brings that back); --append: add to the output file instead of
replacing it.
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


GEOMETRIES = ("east", "west", "south", "demo")


def _fmt(ious):
    return "[" + " ".join(f"{v:.3f}" for v in ious) + "]"


def install_trace(holdout, say):
    """Wrap Monitor.on_epoch_end: after each epoch, print the loss, learning
    rate, val and held-out mean/per-class IoU of that epoch's weights."""
    import keras
    import numpy as np

    from semantic_segmentation.engine.data import dataset, raster
    from semantic_segmentation.engine.train import callbacks

    info = dataset.read_info(holdout.dataset)
    xv, yv = dataset.load_arrays(info, "val")
    xt, yt = dataset.load_arrays(info, "train")
    values = np.asarray(info.class_values)
    held = landsat_holdout.read(holdout.east_image).transpose(1, 2, 0)
    ref = landsat_holdout.read(holdout.east_label)
    image, _ = raster.standardise(held, np.asarray(info.mean, np.float32),
                                  np.asarray(info.std, np.float32), info.nodata)
    h, w = image.shape[:2]
    padded = np.zeros(((h + 31) // 32 * 32, (w + 31) // 32 * 32, info.bands), np.float32)
    padded[:h, :w] = image

    def counts(y):
        return [int((y == i).sum()) for i in range(info.n_classes)]

    say(f"  trace: class pixels train {counts(yt)}, val {counts(yv)} ({len(xv)} chips), "
        f"held-out {[int((ref == v).sum()) for v in values]}")
    original = callbacks.Monitor.on_epoch_end
    spent = [0.0]  # seconds the trace itself took (inside the training wall time)

    def on_epoch_end(self, epoch, logs=None):
        original(self, epoch, logs)
        start = time.perf_counter()
        model = self.model
        pv = model.predict(xv, batch_size=16, verbose=0).argmax(-1)
        val = landsat_holdout.per_class_iou(pv, yv, info.n_classes)
        ph = model.predict(padded[None], verbose=0)[0, :h, :w].argmax(-1)
        hold = landsat_holdout.per_class_iou(values[ph], ref, info.n_classes)
        share = np.bincount(ph.ravel(), minlength=info.n_classes) / ph.size
        # the classifier (the last 1x1 convolution) and the features it sees
        head = [layer for layer in model.layers if layer.__class__.__name__ == "Conv2D"][-1]
        feats = keras.Model(model.inputs, head.input).predict(xv, batch_size=16, verbose=0)
        active = (feats.reshape(-1, feats.shape[-1]) > 0).mean(0)
        bias = keras.ops.convert_to_numpy(head.bias) if head.bias is not None else []
        rec = self.history[-1]
        say(f"    epoch {epoch + 1:2d}: loss {rec.get('loss', float('nan')):.4f} "
            f"train mIoU {rec.get('miou', float('nan')):.4f} lr {rec['learning_rate']:.2e} "
            f"| val loss {rec.get('val_loss', float('nan')):.4f} val mIoU "
            f"{rec.get('val_miou', float('nan')):.4f} {_fmt(val)} | held-out mIoU "
            f"{np.nanmean(hold):.4f} {_fmt(hold)} predicted shares {_fmt(share)}"
            f"{' *' if self.best[1] == epoch + 1 else ''}")
        say(f"              classifier input: {feats.shape[-1]} channels, share of val pixels "
            f"> 0 {_fmt(active)}; classifier bias {_fmt(bias)}")
        spent[0] += time.perf_counter() - start

    callbacks.Monitor.on_epoch_end = on_epoch_end
    return spent


def fill_with_mean():
    """Diagnosis only: make augmentation fill a zoomed-out chip's border with
    the training mean (0 once standardised) in every band, whatever CVAL says
    (a raw 0, CVAL's old default, is -4.7 to -8.8 once standardised on Landsat;
    CVAL's default is now None, the mean, so this matters only with --set cval=...)."""
    import numpy as np

    from semantic_segmentation.engine.data import augment

    original = augment.Augmenter.__init__

    def __init__(self, info, *args, **kwargs):
        original(self, info, *args, **kwargs)
        self.fill = np.zeros_like(self.fill)

    augment.Augmenter.__init__ = __init__


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
    tiles = dict(tile_size=landsat_holdout.TILE, method="random",
                 tiles_per_image=landsat_holdout.CHIPS, val_fraction=0.2, seed=seed)
    bands = list(range(1, landsat_holdout.BANDS + 1))
    if geometry == "demo":  # scripts/demo.py's split and Tile Dataset parameters
        import demo

        cut = int(width * demo.HOLDOUT)
        kept, held = [0, 0, cut, height], [cut, 0, width - cut, height]
        tiles = demo.TILE
        bands = list(range(1, ds.RasterCount + 1))
    elif geometry == "west":
        cut = width - int(width * landsat_holdout.HOLDOUT)
        kept, held = [cut, 0, width - cut, height], [0, 0, cut, height]
    else:  # south
        cut = int(height * landsat_holdout.HOLDOUT)
        kept, held = [0, 0, width, cut], [0, cut, width, height - cut]

    def window(src, name, src_win, band_list=None):
        path = os.path.join(data, name)
        gdal.Translate(path, gdal.Open(src), format="VRT", srcWin=src_win,
                       bandList=band_list)
        return path

    train_image = window(image, "train.vrt", kept, bands)
    train_label = window(label, "train_label.vrt", kept)
    dataset = os.path.join(work, "dataset")
    tiling.tile_scene(tiling.TileParams(train_image, dataset, label=train_label, **tiles))
    return landsat_holdout.Holdout(dataset, window(image, "held.vrt", held, bands),
                                   window(label, "held_label.vrt", held))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--geometry", choices=GEOMETRIES, default="east")
    parser.add_argument("--output", default=None)
    parser.add_argument("--seeds", default=None, help="comma-separated seeds of the rounds")
    parser.add_argument("--no-baseline", action="store_true", help="train the defaults only")
    parser.add_argument("--trace", action="store_true", help="per-epoch history and IoUs")
    parser.add_argument("--append", action="store_true", help="append to the output file")
    parser.add_argument("--augment-fill", choices=("cval", "mean"), default="cval",
                        help="diagnosis: fill augmentation borders with CVAL (Train "
                             "Model's) or the training mean")
    parser.add_argument("--per-class", action="store_true",
                        help="print each run's per-class held-out IoU (without --trace)")
    args = parser.parse_args()
    seeds = ([int(v) for v in args.seeds.split(",")] if args.seeds
             else list(range(args.runs)))
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
    say(f"hold-out: the {args.geometry} third of the scene" if args.geometry != "demo" else
        "hold-out: the east third of the scene, the rest tiled as scripts/demo.py tiles it "
        "(64 px chips every 32 px, all bands, 15 % validating)")
    if overrides:
        say(f"Train Model parameters set: {overrides}")
    if args.augment_fill == "mean":
        fill_with_mean()
        say("augmentation's border fill: the training mean (standardised 0), not CVAL")
    ours, base = [], []
    with tempfile.TemporaryDirectory(prefix="semseg-defaults-") as work:
        holdout = prepare(work, args.geometry)
        trace = install_trace(holdout, say) if args.trace else None

        def run_defaults(seed):
            keras.backend.clear_session()
            if trace:
                trace[0] = 0.0
            miou, seconds, meta, _ = defaults_bench.one_run(holdout, work, overrides, seed)
            ours.append((miou, meta["_train_wall_s"], seconds))
            if len(ours) == 1:
                say(f"defaults: {meta['model']} + {meta['encoder']}, width {meta['width']}, "
                    f"loss {meta['loss']}, {meta['optimizer']} {meta['learning_rate']} "
                    f"({meta['lr_mode']}), batch {meta['batch_size']}, augmentation "
                    f"{overrides.get('augment', training.TrainParams.augment)}, {meta['epochs']} epochs")
            say(f"  defaults run {seed + 1}: mIoU {miou:.4f}, training {meta['_train_wall_s']:.1f} s "
                f"wall ({seconds:.1f} s by the job; best epoch {meta['best_epoch']}); "
                f"load {benchlib.load()}")
            if args.trace or args.per_class:
                predicted = landsat_holdout.read(os.path.join(work, f"east_{seed}.tif"))
                ious = landsat_holdout.per_class_iou(
                    predicted, landsat_holdout.read(holdout.east_label))
                say(f"    (seed {seed}: held-out per-class IoU of the saved model "
                    f"{_fmt(ious)}; best val mIoU {meta['best_val_miou']:.4f}"
                    + (f"; the trace took {trace[0]:.1f} s of the training wall time, "
                       f"{meta['_train_wall_s'] - trace[0]:.1f} s without it)" if trace
                       else ")"))

        def run_baseline(seed):
            keras.backend.clear_session()
            miou, fit_s, params, chips, wall = baseline_unet.one_run(holdout, 15, seed)
            base.append((miou, wall, fit_s))
            if len(base) == 1:
                say(f"baseline: plain U-Net, {params:,} parameters, {chips} chips, Adam 1e-3, "
                    f"batch 8, no augmentation, 15 epochs")
            say(f"  baseline run {seed + 1}: mIoU {miou:.4f}, training {wall:.1f} s wall "
                f"({fit_s:.1f} s in model.fit); load {benchlib.load()}")

        for i, seed in enumerate(seeds):
            order = (run_defaults, run_baseline) if i % 2 == 0 else (run_baseline,
                                                                      run_defaults)
            for run in order:
                if run is run_baseline and args.no_baseline:
                    continue
                run(seed)
    med = {name: (benchlib.median([r[0] for r in rows]), benchlib.median([r[1] for r in rows]))
           for name, rows in (("defaults", ours), ("baseline", base)) if rows}
    for name, (miou, wall) in med.items():
        say(f"{name}: median of {len(seeds)}: mIoU {miou:.4f}, training {wall:.1f} s wall")
    if args.no_baseline:
        _write(args, lines)
        return
    miou_ok = med["defaults"][0] >= med["baseline"][0]
    time_ok = med["defaults"][1] <= med["baseline"][1]
    say(f"target (defaults' mIoU >= baseline's, in no more training time): mIoU "
        f"{'met' if miou_ok else 'NOT met'} ({med['defaults'][0] - med['baseline'][0]:+.4f}), "
        f"time {'met' if time_ok else 'NOT met'} "
        f"({med['defaults'][1] / med['baseline'][1]:.2f}x the baseline's)")
    _write(args, lines)


def _write(args, lines):
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "a" if args.append else "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
