"""Where a model was trained: its training chips' footprints on the ground, and
how much of a raster lies there.

``training_footprints(folder, names)`` reads the georeference of each training
chip (``images/<name>.tif`` of a Tile Dataset folder) and groups the chips'
boxes by CRS: ``[{"crs": wkt, "extent": [xmin, ymin, xmax, ymax], "chips": n,
"boxes": [[xmin, ymin, xmax, ymax], ...]}]``. Train Model stores the list in
the model file's metadata (``training_footprints``), Predict Raster copies it
into the class raster (metadata item :data:`FOOTPRINTS_ITEM`, with the model
file in :data:`MODEL_ITEM`), and Evaluate reads it there to warn when the
reference lies where the model learnt: ``overlap_fraction(path, footprints)``
is the share of a raster's valid pixels (or of points) inside any box.

A group keeps at most :data:`MAX_BOXES` boxes; beyond that, only its extent
(which can only overstate the overlap). GDAL and NumPy only: QGIS may call it.
"""

import json
import os

import numpy as np
from osgeo import gdal, osr

from ..formats.dataset_files import IMAGES
from . import raster

FOOTPRINTS_ITEM = "SEMSEG_TRAINING_FOOTPRINTS"  # the class raster's metadata items
MODEL_ITEM = "SEMSEG_MODEL"
MAX_BOXES = 2000
MAX_SAMPLES = 1024  # the grid (per side) on which a raster's overlap is measured


def training_footprints(folder, names):
    """The footprints of the chips ``names`` of the dataset ``folder``, by CRS
    (chips that cannot be read are skipped)."""
    groups = {}
    for name in names:
        path = os.path.join(folder, IMAGES, f"{name}.tif")
        ds = gdal.OpenEx(path, gdal.OF_RASTER) if os.path.isfile(path) else None
        if ds is None:
            continue
        box = [round(v, 3) for v in raster.bounds(ds)]
        groups.setdefault(ds.GetProjection() or "", []).append(box)
        ds = None
    out = []
    for crs, boxes in groups.items():
        arr = np.asarray(boxes, np.float64)
        extent = [float(arr[:, 0].min()), float(arr[:, 1].min()),
                  float(arr[:, 2].max()), float(arr[:, 3].max())]
        out.append({"crs": crs, "extent": extent, "chips": len(boxes),
                    "boxes": boxes if len(boxes) <= MAX_BOXES else [extent]})
    return out


def footprints_text(footprints):
    """The JSON text of the class raster's :data:`FOOTPRINTS_ITEM`."""
    return json.dumps(footprints, separators=(",", ":"))


def read_footprints(ds):
    """``(model path or "", footprints list)`` from a class raster's metadata
    (the list is empty when it has none or they are unreadable)."""
    text = ds.GetMetadataItem(FOOTPRINTS_ITEM)
    model = ds.GetMetadataItem(MODEL_ITEM) or ""
    if not text:
        return model, []
    try:
        footprints = json.loads(text)
    except ValueError:
        return model, []
    if not isinstance(footprints, list):
        return model, []
    good = [f for f in footprints if isinstance(f, dict) and isinstance(f.get("boxes"), list)]
    return model, good


def _transform(source_wkt, target_wkt):
    """An osr transformation between two CRSs (None: the same, or either unknown)."""
    if not source_wkt or not target_wkt or raster.same_crs(source_wkt, target_wkt):
        return None
    source, target = raster.srs_from_wkt(source_wkt), raster.srs_from_wkt(target_wkt)
    if source is None or target is None:
        return None
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(source, target)


def _inside(x, y, boxes):
    """Which points (x, y arrays) lie inside any of ``boxes``."""
    hit = np.zeros(x.shape, bool)
    for xmin, ymin, xmax, ymax in boxes:
        hit |= (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
    return hit


def points_inside(x, y, crs, footprints):
    """Which points (arrays in ``crs``) lie inside any training box."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    hit = np.zeros(x.shape, bool)
    for group in footprints:
        transform = _transform(crs, group.get("crs") or "")
        gx, gy = x, y
        if transform is not None and x.size:
            pts = np.asarray(transform.TransformPoints(np.column_stack([x, y]).tolist()))
            gx, gy = pts[:, 0], pts[:, 1]
        hit |= _inside(gx, gy, group["boxes"])
    return hit


def overlap_fraction(path, footprints, ignore_value=None):
    """``(fraction, valid samples)``: the share of ``path``'s valid pixels
    (not nodata, not ``ignore_value``) whose centres lie in the training
    footprints, measured on a grid of at most :data:`MAX_SAMPLES` a side."""
    ds = raster.open_raster(path, role="reference")
    width, height = ds.RasterXSize, ds.RasterYSize
    step = max(1, int(np.ceil(max(width, height) / MAX_SAMPLES)))
    cols, rows = max(1, width // step), max(1, height // step)
    band = ds.GetRasterBand(1)
    values = band.ReadAsArray(0, 0, width, height, buf_xsize=cols, buf_ysize=rows,
                              resample_alg=gdal.GRIORA_NearestNeighbour)
    valid = np.ones(values.shape, bool)
    nodata = band.GetNoDataValue()
    if nodata is not None:
        valid &= values != nodata
    if ignore_value is not None:
        valid &= values != ignore_value
    if not valid.any():
        return 0.0, 0
    x0, dx, rx, y0, ry, dy = ds.GetGeoTransform()
    r, c = np.nonzero(valid)
    px = (c + 0.5) * width / cols
    py = (r + 0.5) * height / rows
    x = x0 + px * dx + py * rx
    y = y0 + px * ry + py * dy
    hit = points_inside(x, y, ds.GetProjection(), footprints)
    return float(hit.mean()), int(valid.sum())


def reference_overlap(prediction, reference, ignore_value=None):
    """``(model, fraction)`` when the class raster ``prediction`` records where its
    model was trained (Predict Raster's metadata) and ``reference`` is a raster:
    the share of ``reference``'s valid pixels there; None when unknown."""
    try:
        ds = raster.open_raster(prediction, role="prediction")
    except Exception:  # the evaluation itself reports an unreadable input
        return None
    model, footprints = read_footprints(ds)
    ds = None
    if not footprints:
        return None
    fraction, valid = overlap_fraction(reference, footprints, ignore_value)
    return (model, fraction) if valid else None
