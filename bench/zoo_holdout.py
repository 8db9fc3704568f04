"""Every decoder with its default encoder on the Landsat-8 hold-out: Train Model
with every parameter at its default but MODEL (and EPOCHS=15), Predict Raster
over the never-tiled east third, mean IoU and training seconds; one run each
(bench/defaults_vs_baseline.py has the medians for the defaults and the
plain baseline). Rows are appended to the output as they finish, so a run cut
short keeps what it measured.

    .venv/bin/python bench/zoo_holdout.py [--decoders unet,mobile_unet,...]
        [--output bench/results/zoo_holdout.txt]
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import defaults_bench  # noqa: E402  (makes the plugin importable)
from defaults_bench import benchlib, landsat_holdout  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    from semantic_segmentation.models import catalog

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoders", type=lambda t: t.split(","), default=list(catalog.DECODERS))
    parser.add_argument("--output", default=os.path.join(HERE, "results", "zoo_holdout.txt"))
    args = parser.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)

    def say(text):
        print(text, flush=True)
        with open(args.output, "a", encoding="utf-8") as f:
            f.write(text + "\n")

    import keras

    say(f"\nEvery decoder with its default encoder, Landsat-8 hold-out, 15 epochs, other "
        f"parameters at Train Model's defaults; one run each ({time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} CPU cores)")
    say(f"{'decoder':12s} {'encoder':16s} {'width':>5s} {'mIoU':>7s} {'train s':>8s}  load")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="semseg-zoo-") as work:
        holdout = landsat_holdout.prepare(work)
        for decoder in args.decoders:
            keras.backend.clear_session()
            encoder = catalog.default_encoder(decoder)
            miou, _seconds, meta, _ = defaults_bench.one_run(holdout, work, {"model": decoder},
                                                             0)
            say(f"{decoder:12s} {encoder:16s} {meta['width']:5.2f} {miou:7.4f} "
                f"{meta['_train_wall_s']:8.1f}  {benchlib.load()}")


if __name__ == "__main__":
    main()
