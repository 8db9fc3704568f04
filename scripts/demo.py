#!/usr/bin/env python3
"""`make demo`: the whole chain on a real Landsat-8 scene, through qgis_process.

1. Stack the scene's bands and derive a cloud label from its quality band
   (scripts/landsat_sample.py documents the bits).
2. Hold out the east third of the scene: Tile Dataset sees only the west part.
3. Tile Dataset -> Train Model -> Predict Raster (whole scene) -> Evaluate
   (on the held-out east third only), each a `qgis_process run semseg:...`.
4. Leave in demo_output/: the styled prediction, its polygons, the Evaluate
   report, the training curves, and demo.png (image | reference | prediction).
"""

import json
import os
import shutil
import subprocess  # nosec B404 - runs our own qgis_process wrapper
import sys
import time

import numpy as np
from osgeo import gdal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import landsat_sample  # noqa: E402

QGIS_PROCESS = os.path.join(ROOT, "scripts", "qgis_process")
OUT = os.path.join(ROOT, "demo_output")
HOLDOUT = 2 / 3  # columns east of this fraction of the width are never trained on


def run(algorithm, **params):
    """One `qgis_process --json run`; returns its results dict."""
    args = [QGIS_PROCESS, "--json", "run", f"semseg:{algorithm}", "--"]
    args += [f"{k}={v}" for k, v in params.items()]
    started = time.monotonic()
    print(f"\n== semseg:{algorithm}", flush=True)
    proc = subprocess.run(args, capture_output=True, text=True)  # nosec B603
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"semseg:{algorithm} failed (exit {proc.returncode})")
    text = proc.stdout[proc.stdout.index("{"):]
    results = json.loads(text)["results"]
    print(f"   done in {time.monotonic() - started:.1f} s: "
          + ", ".join(f"{k}={v}" for k, v in results.items()), flush=True)
    return results


def window_vrt(src, path, x0, width):
    """A VRT of columns x0..x0+width of ``src`` (keeps the georeference)."""
    ds = gdal.Open(src)
    gdal.Translate(path, ds, format="VRT", srcWin=[x0, 0, width, ds.RasterYSize])
    return path


def stretch(rgb):
    lo, hi = np.percentile(rgb, (2, 98))
    return np.clip((rgb - lo) / max(hi - lo, 1e-6), 0, 1)


def class_image(values, classes):
    img = np.zeros(values.shape + (3,), np.float32)
    for value, _name, color in classes:
        img[values == value] = np.array(color) / 255.0
    return img


def figure(image, reference, prediction, png, split_x, metrics):
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    warnings.filterwarnings("ignore", message="Unable to import Axes3D")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ds = gdal.Open(image)
    rgb = np.dstack([ds.GetRasterBand(b).ReadAsArray().astype(np.float32) for b in (4, 3, 2)])
    ref = gdal.Open(reference).ReadAsArray()
    pred = gdal.Open(prediction).ReadAsArray()
    fig, axes = plt.subplots(1, 3, figsize=(15, 5.6), dpi=100)
    panels = [(stretch(rgb), "Landsat-8 (B4, B3, B2)"),
              (class_image(ref, landsat_sample.CLASSES), "Reference (from BQA)"),
              (class_image(pred, landsat_sample.CLASSES), "Prediction (Predict Raster)")]
    for ax, (img, title) in zip(axes, panels):
        ax.imshow(img)
        ax.axvline(split_x, color="red", lw=1.2, ls="--")
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[2].text(split_x + 5, 20, "held out", color="red", fontsize=9, va="top")
    axes[0].text(5, 20, "trained on", color="red", fontsize=9, va="top")
    handles = [Patch(color=np.array(c) / 255.0, label=n) for _v, n, c in landsat_sample.CLASSES]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    fig.suptitle(f"Held-out east third: overall accuracy {metrics['OVERALL_ACCURACY']:.3f}, "
                 f"mean IoU {metrics['MEAN_IOU']:.3f}, kappa {metrics['KAPPA']:.3f}")
    fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    fig.savefig(png)
    plt.close(fig)


def main():
    started = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    data = os.path.join(OUT, "data")
    image, label = landsat_sample.write_sample(data)
    width = gdal.Open(image).RasterXSize
    split_x = int(width * HOLDOUT)
    train_image = window_vrt(image, os.path.join(data, "train_image.vrt"), 0, split_x)
    train_label = window_vrt(label, os.path.join(data, "train_label.vrt"), 0, split_x)
    heldout_label = window_vrt(label, os.path.join(data, "heldout_label.vrt"), split_x,
                               width - split_x)
    print(f"Scene {image}: {width} px wide; training on x < {split_x}, evaluating on the rest.")

    tiles = run("tiledataset", IMAGE=train_image, LABEL=train_label, TILE_SIZE=64,
                METHOD="stride", STRIDE=32, VAL_FRACTION=0.2, SEED=0,
                OUTPUT=os.path.join(OUT, "dataset"))
    model = run("trainmodel", DATASET=tiles["OUTPUT"], EPOCHS=12, BATCH_SIZE=16,
                LEARNING_RATE=0.002, LOSS="ce_dice", AUGMENT=True, EARLY_STOP_PATIENCE=4,
                OUTPUT_MODEL=os.path.join(OUT, "cloud_model.keras"),
                LOG_DIR=os.path.join(OUT, "training_logs"))
    prediction = run("predictraster", INPUT=image, MODEL=model["OUTPUT_MODEL"],
                     OUTPUT=os.path.join(OUT, "prediction.tif"),
                     OUTPUT_VECTOR=os.path.join(OUT, "prediction_polygons.gpkg"),
                     MIN_AREA=8100)
    metrics = run("evaluate", PREDICTION=prediction["OUTPUT"], REFERENCE=heldout_label,
                  OUTPUT_TABLE=os.path.join(OUT, "evaluation.csv"),
                  OUTPUT_REPORT=os.path.join(OUT, "evaluation.html"),
                  OUTPUT_JSON=os.path.join(OUT, "evaluation.json"))

    ref = gdal.Open(heldout_label).ReadAsArray()
    counts = np.bincount(ref[ref != 255].ravel(), minlength=3)
    baseline = counts.max() / counts.sum()
    png = os.path.join(OUT, "demo.png")
    figure(image, label, prediction["OUTPUT"], png, split_x, metrics)
    print("\n== Held-out east third of the scene")
    print(f"   overall accuracy {metrics['OVERALL_ACCURACY']:.4f} "
          f"(majority-class baseline {baseline:.4f})")
    print(f"   mean IoU         {metrics['MEAN_IOU']:.4f} "
          f"(majority-class baseline {baseline / 3:.4f})")
    print(f"   kappa            {metrics['KAPPA']:.4f}")
    print(f"   best validation mean IoU during training {model['BEST_VAL_MIOU']:.4f}")
    print(f"\nOutputs in {OUT}: prediction.tif (+ .qml), prediction_polygons.gpkg, "
          f"evaluation.html, training_logs/, demo.png")
    print(f"Total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
