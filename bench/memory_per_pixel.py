#!/usr/bin/env python3
"""Activation memory per input pixel of prediction, per network, on this CPU.

Predict Raster's plan (engine/predict/window_plan.py) estimates a batch's
memory as BYTES_PER_PIXEL per input pixel. This measures what each network
really takes: for every (model, encoder) pair, two fresh processes run the
predictor's own forward pass (predictors.KerasPredictor: one tf.function with a
fixed window shape) on a batch of 1 and of 4 windows; the difference of their
peak RSS over the 3 extra windows' pixels is the per-pixel figure. Random
weights (the memory does not depend on them).

    .venv/bin/python bench/memory_per_pixel.py [--tile 256] [--pairs unet:unet_native ...]

Prints one line per pair and the largest figure; keep the output in
bench/results/memory_per_pixel.txt.
"""

import argparse
import json
import os
import subprocess  # nosec B404 - runs this script in fresh processes
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAIRS = ["unet:unet_native", "unet:mobilenet_v2", "deeplab_v3p:resnet_v2_50",
         "deeplab_v3p:xception_41", "pspnet:resnet_v2_101", "refinenet:resnet_v2_50",
         "fcn_8s:vgg_16", "segnet:vgg_16", "dense_aspp:resnet_v2_50"]


def child(model, encoder, tile, batch, bands, classes):
    """Build the pair, run its forward pass on ``batch`` windows; print peak RSS."""
    import resource

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import benchlib

    benchlib.import_plugin()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np

    from semantic_segmentation.engine.predict import predictors
    from semantic_segmentation.models import catalog, registry

    width = catalog.default_width(model, encoder)
    net = registry.build_model(model, encoder, classes, bands, width=width)
    run = predictors.KerasPredictor(net, (tile, tile), bands)
    x = np.random.default_rng(0).normal(size=(batch, tile, tile, bands)).astype("float32")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(2):
        run(x)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_kib": peak, "before_kib": before, "width": width,
                      "params": int(net.count_params())}))


def measure(pair, tile, bands, classes):
    model, encoder = pair.split(":")
    peaks = {}
    for batch in (1, 4):
        out = subprocess.run(  # nosec B603
            [sys.executable, __file__, "--child", pair, "--tile", str(tile),
             "--batch", str(batch), "--bands", str(bands), "--classes", str(classes)],
            capture_output=True, text=True, check=True)
        peaks[batch] = json.loads(out.stdout.strip().splitlines()[-1])
    extra = (peaks[4]["peak_kib"] - peaks[1]["peak_kib"]) * 1024
    return {"pair": pair, "width": peaks[1]["width"], "params": peaks[1]["params"],
            "peak1_mib": peaks[1]["peak_kib"] / 1024, "peak4_mib": peaks[4]["peak_kib"] / 1024,
            "bytes_per_pixel": extra / (3 * tile * tile)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tile", type=int, default=256)
    ap.add_argument("--bands", type=int, default=3)
    ap.add_argument("--classes", type=int, default=3)
    ap.add_argument("--pairs", nargs="*", default=PAIRS)
    ap.add_argument("--child")
    ap.add_argument("--batch", type=int, default=1)
    args = ap.parse_args()
    if args.child:
        model, encoder = args.child.split(":")
        return child(model, encoder, args.tile, args.batch, args.bands, args.classes)
    print(f"memory_per_pixel: tile {args.tile}, {args.bands} bands, {args.classes} classes, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    worst = 0.0
    for pair in args.pairs:
        r = measure(pair, args.tile, args.bands, args.classes)
        worst = max(worst, r["bytes_per_pixel"])
        print(f"{r['pair']:28s} width {r['width']:<5} {r['params'] / 1e6:6.2f} M params  "
              f"peak RSS batch 1 {r['peak1_mib']:7.0f} MiB, batch 4 {r['peak4_mib']:7.0f} MiB  "
              f"-> {r['bytes_per_pixel']:6.0f} bytes per input pixel", flush=True)
    print(f"largest: {worst:.0f} bytes per input pixel")


if __name__ == "__main__":
    main()
