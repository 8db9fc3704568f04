"""What runs inside QGIS's process uses only what a stock QGIS's Python has: the
standard library, Qt (through qgis.PyQt), qgis, numpy and GDAL/OGR. Checked in a
fresh QGIS Python with the release zip's plugin: load it, build every dialog's
parameters and run the algorithms that work in-process; any other top-level
module imported on the way (scikit-learn, matplotlib, scipy, TensorFlow, ...)
fails the test, even where Debian happens to have it installed."""

import json
import os
import subprocess  # nosec B404 - QGIS's own Python with a list argv
import textwrap

from rasters import synthetic_scene, write_raster

QGIS_PYTHON = "/usr/bin/python3"
STOCK = {"qgis", "PyQt5", "sip", "numpy", "osgeo", "processing", "semantic_segmentation"}

SCRIPT = textwrap.dedent("""
    import json, sys
    from qgis.core import QgsApplication
    app = QgsApplication([], False, PROFILE)
    QgsApplication.setPrefixPath("/usr", True)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing
    Processing.initialize()
    import processing
    # Processing's own lazy imports happen first, so they are not counted as ours.
    processing.run("native:fillnodata", {"INPUT": IMAGE, "BAND": 1, "FILL_VALUE": 0,
                                         "OUTPUT": OUT + "/warm.tif"})
    before = set(sys.modules)
    sys.path.insert(0, PLUGINS)
    import semantic_segmentation
    plugin = semantic_segmentation.classFactory(None)
    plugin.initProcessing()
    for alg in plugin.provider.algorithms():
        instance = alg.createInstance()
        instance.initAlgorithm()
        instance.shortHelpString()
    processing.run("semseg:tiledataset", {"IMAGE": IMAGE, "LABEL": LABEL, "TILE_SIZE": 32,
                                          "OUTPUT": OUT + "/chips"})
    processing.run("semseg:evaluate", {"PREDICTION": LABEL, "REFERENCE": LABEL,
                                       "OUTPUT_JSON": OUT + "/scores.json",
                                       "OUTPUT_TABLE": OUT + "/scores.csv",
                                       "OUTPUT_REPORT": OUT + "/scores.html"})
    stdlib = set(sys.stdlib_module_names)
    new = sorted({m.split(".")[0] for m in set(sys.modules) - before})
    print("MODULES " + json.dumps([m for m in new if m not in stdlib and not m.startswith("_")]))
""")


def test_only_stock_modules_load_in_qgis_process(release_plugin, stock_environment, tmp_path):
    image, label = synthetic_scene(h=64, w=64, bands=3)
    values = {"PROFILE": str(tmp_path / "profile"), "PLUGINS": str(release_plugin.parent),
              "IMAGE": write_raster(tmp_path / "image.tif", image),
              "LABEL": write_raster(tmp_path / "label.tif", label), "OUT": str(tmp_path)}
    script = "".join(f"{k} = {v!r}\n" for k, v in values.items()) + SCRIPT
    env = stock_environment(release_plugin.parent, tmp_path / "profile", tmp_path / "runtime")
    proc = subprocess.run([QGIS_PYTHON, "-c", script], capture_output=True, text=True,  # nosec B603
                          timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES ")][-1]
    loaded = set(json.loads(line[len("MODULES "):]))
    assert loaded - STOCK == set(), (
        "modules a stock QGIS's Python may lack were imported inside QGIS's process")
    assert os.path.exists(tmp_path / "chips" / "dataset.json")
