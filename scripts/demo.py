#!/usr/bin/env python3
"""`make demo`: the whole chain on a real Landsat-8 scene, through qgis_process.

1. Stack the scene's bands and derive a cloud label from its quality band
   (scripts/landsat_sample.py documents the bits).
2. Hold out the east third of the scene: Tile Dataset sees only the west part.
3. Tile Dataset -> Train Model -> Predict Raster (whole scene) -> Evaluate
   (on the held-out east third only), each a `qgis_process run semseg:...`.
4. Beyond the class map: an uncertainty (entropy) map and the "label next"
   cells where the network is least sure; the model exported to ONNX (for
   ONNX Runtime and the Deepness plugin); and a sample-based accuracy
   assessment (Olofsson et al. 2014) from a stratified random sample of
   points in the held-out third: area estimates with 95 % intervals.
5. Leave in demo_output/ (or $SEMSEG_DEMO_OUTPUT): the styled prediction, its polygons, the entropy
   map, the label-next cells, the ONNX model, the Evaluate reports, the
   training curves, and demo.png (image | reference | prediction | entropy).
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
# SEMSEG_DEMO_OUTPUT: another folder (two demos side by side, e.g. one with
# KERAS_BACKEND=torch, which the engine's worker honours over the setting)
OUT = os.path.abspath(os.environ.get("SEMSEG_DEMO_OUTPUT") or os.path.join(ROOT, "demo_output"))
HOLDOUT = 2 / 3  # columns east of this fraction of the width are never trained on
# Tile Dataset's and Train Model's parameters (lower case, as the engine's jobs
# take them; bench/demo_backends.py and bench/defaults_vs_baseline.py's demo
# geometry run the same)
TILE = {"tile_size": 64, "method": "stride", "stride": 32, "val_fraction": 0.15, "seed": 0}
TRAIN = {"epochs": 12, "batch_size": 16, "learning_rate": 0.002, "loss": "ce_dice",
         "augment": True, "early_stop_patience": 4}


def upper(params):
    """Processing parameter names of engine-style ``params``."""
    return {k.upper(): v for k, v in params.items()}


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


def sample_points(prediction, reference, path, per_class=60, seed=0):
    """A stratified random sample (``per_class`` points per mapped class) of the
    pixels of ``prediction`` (a class raster) whose reference is known: points
    with the reference class in the field ``class``, as a field team would
    collect (here read from the BQA reference)."""
    from osgeo import ogr

    pred_ds = gdal.Open(prediction)
    pred = pred_ds.ReadAsArray()
    ref = gdal.Open(reference).ReadAsArray()
    x0, dx, _, y0, _, dy = pred_ds.GetGeoTransform()
    rng = np.random.default_rng(seed)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = pred_ds.GetSpatialRef()
    layer = ds.CreateLayer("sample", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    for value in np.unique(pred[pred != 255]):
        rows, cols = np.nonzero((pred == value) & (ref != 255))
        pick = rng.choice(len(rows), size=min(per_class, len(rows)), replace=False)
        for r, c in zip(rows[pick], cols[pick]):
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetField("class", int(ref[r, c]))
            point = ogr.Geometry(ogr.wkbPoint)
            point.AddPoint_2D(x0 + (c + 0.5) * dx, y0 + (r + 0.5) * dy)
            feature.SetGeometry(point)
            layer.CreateFeature(feature)
    ds = None
    return path


def label_next_boxes(path, geotransform):
    """Pixel boxes (x0, y0, x1, y1, rank) of the label-next cells."""
    from osgeo import ogr

    x0, dx, _, y0, _, dy = geotransform
    ds = ogr.Open(path)
    boxes = []
    for feature in ds.GetLayer(0):
        xmin, xmax, ymin, ymax = feature.GetGeometryRef().GetEnvelope()
        boxes.append(((xmin - x0) / dx, (ymax - y0) / dy, (xmax - x0) / dx,
                      (ymin - y0) / dy, feature.GetField("rank")))
    return boxes


def figure(image, reference, prediction, png, split_x, metrics, entropy=None,
           label_next=None):
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
    panels = [(stretch(rgb), "Landsat-8 (B4, B3, B2)"),
              (class_image(ref, landsat_sample.CLASSES), "Reference (from BQA)"),
              (class_image(pred, landsat_sample.CLASSES), "Prediction (Predict Raster)")]
    if entropy:
        ent = gdal.Open(entropy).ReadAsArray().astype(np.float32)
        panels.append((np.ma.masked_less(ent, 0), "Entropy; label next (boxes)"))
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 5.6), dpi=100)
    for ax, (img, title) in zip(axes, panels):
        ax.imshow(img, cmap="viridis", vmin=0, vmax=1) if img.ndim == 2 else ax.imshow(img)
        ax.axvline(split_x, color="red", lw=1.2, ls="--")
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[2].text(split_x + 5, 20, "held out", color="red", fontsize=9, va="top")
    if entropy and label_next:
        from matplotlib.patches import Rectangle

        for x0, y0, x1, y1, rank in label_next_boxes(label_next, ds.GetGeoTransform()):
            axes[3].add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False,
                                        edgecolor="white", lw=1))
            axes[3].text(x0 + 2, y0 + 2, str(rank), color="white", fontsize=7, va="top")
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

    tiles = run("tiledataset", IMAGE=train_image, LABEL=train_label, **upper(TILE),
                OUTPUT=os.path.join(OUT, "dataset"))
    model = run("trainmodel", DATASET=tiles["OUTPUT"], **upper(TRAIN),
                OUTPUT_MODEL=os.path.join(OUT, "cloud_model.keras"),
                LOG_DIR=os.path.join(OUT, "training_logs"))
    prediction = run("predictraster", INPUT=image, MODEL=model["OUTPUT_MODEL"],
                     OUTPUT=os.path.join(OUT, "prediction.tif"),
                     OUTPUT_VECTOR=os.path.join(OUT, "prediction_polygons.gpkg"),
                     MIN_AREA=8100, OUTPUT_ENTROPY=os.path.join(OUT, "entropy.tif"),
                     OUTPUT_LABEL_NEXT=os.path.join(OUT, "label_next.gpkg"),
                     LABEL_NEXT_COUNT=10)
    exported = run("exportmodel", MODEL=model["OUTPUT_MODEL"],
                   OUTPUT=os.path.join(OUT, "cloud_model.onnx"))
    metrics = run("evaluate", PREDICTION=prediction["OUTPUT"], REFERENCE=heldout_label,
                  OUTPUT_TABLE=os.path.join(OUT, "evaluation.csv"),
                  OUTPUT_REPORT=os.path.join(OUT, "evaluation.html"),
                  OUTPUT_JSON=os.path.join(OUT, "evaluation.json"))
    heldout_prediction = window_vrt(prediction["OUTPUT"], os.path.join(data, "heldout_pred.vrt"),
                                    split_x, width - split_x)
    sample = sample_points(heldout_prediction, heldout_label, os.path.join(OUT, "sample.gpkg"))
    run("evaluate", PREDICTION=heldout_prediction, REFERENCE_VECTOR=sample,
        REFERENCE_FIELD="class", OUTPUT_JSON=os.path.join(OUT, "area_estimates.json"),
        OUTPUT_REPORT=os.path.join(OUT, "area_estimates.html"))
    with open(os.path.join(OUT, "area_estimates.json"), encoding="utf-8") as f:
        assessed = json.load(f)

    ref = gdal.Open(heldout_label).ReadAsArray()
    counts = np.bincount(ref[ref != 255].ravel(), minlength=3)
    baseline = counts.max() / counts.sum()
    png = os.path.join(OUT, "demo.png")
    figure(image, label, prediction["OUTPUT"], png, split_x, metrics,
           prediction.get("OUTPUT_ENTROPY"), prediction.get("OUTPUT_LABEL_NEXT"))
    print("\n== Held-out east third of the scene")
    print(f"   overall accuracy {metrics['OVERALL_ACCURACY']:.4f} "
          f"(majority-class baseline {baseline:.4f})")
    print(f"   mean IoU         {metrics['MEAN_IOU']:.4f} "
          f"(majority-class baseline {baseline / 3:.4f})")
    print(f"   kappa            {metrics['KAPPA']:.4f}")
    print(f"   best validation mean IoU during training {model['BEST_VAL_MIOU']:.4f}")
    trained_on = model_metadata(model["OUTPUT_MODEL"]).get("trained_on", "tensorflow")
    print(f"   trained on Keras's {trained_on} backend")
    print("\n== From a stratified sample of points in the held-out third "
          "(Olofsson et al. 2014), 95 % intervals")
    print(f"   overall accuracy {assessed['overall_accuracy_estimate']:.3f} "
          f"+/- {assessed['overall_accuracy_ci95']:.3f}")
    for row in assessed["area_estimates"]:
        print(f"   {row['name']:8s} mapped {row['mapped_area'] / 1e6:7.2f} km2, estimated "
              f"{row['adjusted_area'] / 1e6:7.2f} +/- {row['adjusted_area_ci95'] / 1e6:5.2f} km2; "
              f"user's {row['users_accuracy']:.2f} +/- {row['users_accuracy_ci95']:.2f}, "
              f"producer's {row['producers_accuracy']:.2f} +/- "
              f"{row['producers_accuracy_ci95']:.2f}")
    print(f"\n== ONNX model for ONNX Runtime and Deepness: {exported['OUTPUT']} "
          f"(Deepness-ready: {exported.get('DEEPNESS_READY')})")
    print(f"\nOutputs in {OUT}: prediction.tif (+ .qml), prediction_polygons.gpkg, "
          f"entropy.tif, label_next.gpkg, cloud_model.onnx, evaluation.html, "
          f"area_estimates.html, training_logs/, demo.png")
    print(f"Total {time.monotonic() - started:.0f} s")


def model_metadata(path):
    """The model file's metadata (engine/formats/modelfile.py reads it without Keras)."""
    sys.path.insert(0, os.path.join(ROOT, "build", "qgis-plugins"))
    from semantic_segmentation.engine.formats import modelfile

    return modelfile.read_metadata(path)


if __name__ == "__main__":
    main()
