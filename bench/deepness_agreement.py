"""Deepness (PUTvision) on an ONNX file from Export Model against our Predict Raster.

Runs Deepness's own code headless, from a checkout given on the command line
(never a copy in this repository): its dock widget (offscreen Qt) loads the
model as a user would (model file, "Load default parameters"), takes the
input layer and the entire layer as the processed area, and its
MapProcessorSegmentation (a QgsTask, run synchronously) predicts the scene.
Three Deepness runs:

  defaults   the dock widget's own defaults (probability threshold 0.5 on,
             small-segment median filter of 9 px on), then "Load default
             parameters" on the file as Export Model writes it
             (seg_thresh 0, seg_small_segment 0: both switched off)
  old file   the same on a copy of the file without seg_thresh and
             seg_small_segment (as Export Model wrote it before): Deepness's
             threshold and median filter stay on
  off        threshold and median filter switched off by hand

Our reference: Predict Raster (defaults) on the .keras file and on the .onnx
file, run by the engine's Python (--engine-python; it also writes the "old
file" copy with the ``onnx`` package). Agreement: the share of pixels, valid
in both maps (ours not nodata, inside Deepness's processed area), of the same
class.

Needs QGIS's Python with onnxruntime and opencv-python-headless importable
(Deepness's requirements), for example:

  /usr/bin/python3 -m venv --system-site-packages /tmp/deepness_venv
  /tmp/deepness_venv/bin/pip install "onnxruntime==1.17.0" \\
      "opencv-python-headless>=4.5.5.64,<=4.9.0.80"
  git -C <mirror> archive HEAD src | tar -x -C /tmp/deepness
  QT_QPA_PLATFORM=offscreen /tmp/deepness_venv/bin/python bench/deepness_agreement.py \\
      --deepness /tmp/deepness/src --keras demo_output/cloud_model.keras \\
      --onnx /tmp/demo.onnx --scene demo_output/data/landsat8.tif \\
      --output bench/results/deepness_agreement.txt
"""

import argparse
import json
import os
import platform
import subprocess  # nosec B404 - the engine's Python with a list argv
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")

# Predict Raster with its defaults; then the classes' values in channel order.
PREDICT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from semantic_segmentation.engine.formats import modelfile
from semantic_segmentation.engine.predict.prediction import PredictParams, predict_raster
r = predict_raster(PredictParams(input=sys.argv[3], model=sys.argv[2], output=sys.argv[4]))
meta = modelfile.read_metadata(sys.argv[2])
print(json.dumps({"plan": r["plan"], "values": [c["value"] for c in meta["classes"]]}))
"""

# Export Model's engine with its defaults (the Deepness layout).
EXPORT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from semantic_segmentation.engine.predict import onnx_export
r = onnx_export.export(onnx_export.ExportParams(model=sys.argv[2], output=sys.argv[3]))
print(json.dumps({"layout": r["layout"], "difference": r["max_abs_difference"]}))
"""

# A copy of an ONNX file without some metadata_props keys.
STRIP = """
import sys, onnx
m = onnx.load(sys.argv[1])
keep = [p for p in m.metadata_props if p.key not in sys.argv[3:]]
del m.metadata_props[:]
m.metadata_props.extend(keep)
onnx.save(m, sys.argv[2])
"""


def engine(python, script, *args):
    run = subprocess.run([python, "-c", script, *args], capture_output=True,  # nosec B603
                         text=True, timeout=1800)
    if run.returncode:
        sys.exit(run.stderr[-3000:])
    lines = run.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def read_classes(path):
    from osgeo import gdal

    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    return band.ReadAsArray(), band.GetNoDataValue()


def deepness_version(folder):
    path = os.path.join(folder, "deepness", "metadata.txt")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("version="):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "version unknown"


def start_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], True)
    QgsApplication.setPrefixPath("/usr", True)
    app.initQgis()
    return app


def run_deepness(model_path, rlayer, mode):
    """Deepness's class map (channel index + 1, 0 outside the processed area)
    and the parameters its dock widget gave."""
    from deepness.common.processing_parameters.map_processing_parameters import \
        ProcessedAreaType
    from deepness.deepness_dockwidget import DeepnessDockWidget
    from deepness.processing.map_processor.map_processing_result import \
        MapProcessingResultSuccess
    from deepness.processing.map_processor.map_processor_segmentation import \
        MapProcessorSegmentation

    widget = DeepnessDockWidget(iface=None)  # its defaults (ConfigEntryKey)
    widget.mMapLayerComboBox_inputLayer.setLayer(rlayer)
    widget.comboBox_processedAreaSelection.setCurrentText(
        ProcessedAreaType.ENTIRE_LAYER.value)
    widget.lineEdit_modelPath.setText(model_path)
    widget._load_model_and_display_info()  # as after "Browse"
    widget._load_default_model_parameters()  # the "Load default parameters" button
    if mode == "off":
        widget.checkBox_pixelClassEnableThreshold.setChecked(False)
        widget.checkBox_removeSmallAreas.setChecked(False)
    params = widget.get_inference_parameters()
    processor = MapProcessorSegmentation(rlayer=rlayer, vlayer_mask=None, map_canvas=None,
                                         params=params)
    started = time.perf_counter()
    processor.run()
    seconds = time.perf_counter() - started
    result = processor._processing_result
    if not isinstance(result, MapProcessingResultSuccess):
        raise RuntimeError(f"Deepness failed: {result.message} {result.exception!r}")
    summary = {
        "tile_size_px": params.tile_size_px, "overlap_px": params.processing_overlap_px,
        "resolution_cm_per_px": params.resolution_cm_per_px,
        "batch_size": params.batch_size,
        "probability_threshold": params.pixel_classification__probability_threshold,
        "dilate_erode_size": params.postprocessing_dilate_erode_size,
        "seconds": round(seconds, 1),
    }
    return np.asarray(processor.get_result_img())[0], summary


def agreement(ours, nodata, values, deepness):
    """(share of the same class, pixels compared) over pixels valid in both."""
    if deepness.shape != ours.shape:
        raise RuntimeError(f"Deepness's map is {deepness.shape}, ours {ours.shape}")
    lut = np.full(len(values) + 1, -1, np.int64)
    lut[1:] = values
    theirs = lut[deepness.astype(np.int64)]
    valid = (deepness > 0) & ((ours != nodata) if nodata is not None else True)
    return float(np.mean(ours[valid] == theirs[valid])), int(valid.sum())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--deepness", required=True,
                    help="the folder holding Deepness's package 'deepness' (its src/)")
    ap.add_argument("--keras", required=True, help="the model file (.keras)")
    ap.add_argument("--onnx", help="its ONNX file from Export Model (default: exported "
                                   "now, Export Model's defaults)")
    ap.add_argument("--scene", required=True)
    ap.add_argument("--engine-python", default=os.path.join(ROOT, ".venv", "bin", "python"))
    ap.add_argument("--output")
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.abspath(args.deepness))
    work = tempfile.mkdtemp(prefix="deepness_agreement_")
    if not args.onnx:
        args.onnx = os.path.join(work, "model.onnx")
        engine(args.engine_python, EXPORT, PLUGINS, args.keras, args.onnx)

    ours = {}
    for tag, model in (("keras", args.keras), ("onnx", args.onnx)):
        out = os.path.join(work, f"predict_{tag}.tif")
        info = engine(args.engine_python, PREDICT, PLUGINS, model, args.scene, out)
        ours[tag] = read_classes(out) + (info,)
    old = os.path.join(work, "without_seg_keys.onnx")
    engine(args.engine_python, STRIP, args.onnx, old, "seg_thresh", "seg_small_segment")

    app = start_qgis()
    from qgis.core import QgsProject, QgsRasterLayer

    import onnxruntime

    rlayer = QgsRasterLayer(args.scene, "scene")
    if not rlayer.isValid():
        sys.exit(f"QGIS cannot open {args.scene}")
    QgsProject.instance().addMapLayer(rlayer)
    runs = {}
    for name, model, mode in (("defaults", args.onnx, "defaults"),
                              ("old file", old, "defaults"),
                              ("off", args.onnx, "off")):
        runs[name] = run_deepness(model, rlayer, mode)

    keras_classes, nodata, info = ours["keras"]
    onnx_classes = ours["onnx"][0]
    values = info["values"]
    lines = [
        "Deepness (PUTvision) on Export Model's ONNX file vs our Predict Raster",
        f"date: {time.strftime('%Y-%m-%d %H:%M')}, {platform.platform()}, "
        f"QGIS Python {platform.python_version()}, onnxruntime {onnxruntime.__version__} "
        "(Deepness's side)",
        f"Deepness: {deepness_version(args.deepness)} from {os.path.abspath(args.deepness)}",
        f"model: {args.keras} -> {args.onnx}; scene: {args.scene} "
        f"({keras_classes.shape[1]} x {keras_classes.shape[0]} px)",
        f"command: bench/deepness_agreement.py {' '.join(sys.argv[1:] if argv is None else argv)}",
        "",
        "Predict Raster (defaults): "
        f"window {info['plan']['window']}, overlap {info['plan']['overlap']}; "
        f".onnx vs .keras: {np.mean(onnx_classes == keras_classes):.6f} of pixels agree",
        "",
        f"{'Deepness run':<12} {'threshold':>9} {'filter':>6} {'tile':>4} {'overlap':>7} "
        f"{'res cm':>7} {'vs .keras':>10} {'vs .onnx':>9} {'pixels':>8}",
    ]
    figures = {}
    for name, (classes, summary) in runs.items():
        a_keras, n = agreement(keras_classes, nodata, values, classes)
        a_onnx, _ = agreement(onnx_classes, nodata, values, classes)
        figures[name] = a_keras
        lines.append(
            f"{name:<12} {summary['probability_threshold']:>9} "
            f"{summary['dilate_erode_size']:>6} {summary['tile_size_px']:>4} "
            f"{summary['overlap_px']:>7} {summary['resolution_cm_per_px']:>7} "
            f"{a_keras:>10.4%} {a_onnx:>9.4%} {n:>8}")
    lines.append("")
    lines.append("defaults = Deepness's dock widget defaults, then 'Load default parameters' "
                 "on the file Export Model writes; old file = the same on a copy without "
                 "seg_thresh/seg_small_segment; off = threshold and filter unchecked by hand.")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    app.exitQgis()
    return figures


if __name__ == "__main__":
    main()
