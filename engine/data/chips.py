"""One scene's chips: read a window, write its image and label chips, keep
the band sums and class counts (Tile Dataset, engine/data/tiling.py).

A window is kept when enough of it is labelled and valid (``min_labelled``)
and, with a spatial split, when it lies on one side of the split; each kept
window becomes ``images/<prefix>_NNNNNN.tif`` (all bands, the scene's type
and nodata) and, with a label, ``labels/<prefix>_NNNNNN.tif`` (Byte, 255 =
ignore, the label raster's colour table if any). Every path is noted in ``created``
before it is written, so a failed run can remove it.
"""

import math
import os

import numpy as np
from osgeo import gdal

from . import raster, splits
from ..formats.dataset_files import IMAGES, LABELS
from ..errors import InputError
from .labels import IGNORE


class ChipWriter:
    """Writes the chips of one scene and keeps the running sums."""

    def __init__(self, image_ds, scene, label_ds, color_table, output_dir, prefix,
                 tile_size, min_labelled, created, splitter=None, label_source=None):
        self.image_ds = image_ds
        self.label_ds = label_ds
        self.label_source = label_source or (label_ds.GetDescription() if label_ds else "")
        self.label_band = label_ds.GetRasterBand(1) if label_ds is not None else None
        self.label_nodata = self.label_band.GetNoDataValue() if label_ds is not None else None
        self.color_table = color_table
        self.output_dir = output_dir
        self.prefix = prefix
        self.min_labelled = float(min_labelled)
        self.created = created
        self.geotransform = image_ds.GetGeoTransform()
        self.projection = image_ds.GetProjection()
        self.nodata = scene["band_nodata"]
        self.gdal_type = scene["gdal_type"]
        self.bands = scene["bands"]
        self.driver = gdal.GetDriverByName("GTiff")
        self.splitter = splitter
        self.names = []
        self.windows = {}  # chip name -> its window on the scene
        self.roles = {splits.TRAIN: [], splits.VAL: []}
        self.skipped = 0
        self.dropped = 0
        self.windows_read = 0  # windows read (kept or skipped)...
        self.valid_px = 0      # ...and their pixels valid on every band
        self.count_px = np.zeros(self.bands, dtype=np.int64)
        self.sum = np.zeros(self.bands, dtype=np.float64)
        self.sumsq = np.zeros(self.bands, dtype=np.float64)
        self.classes = np.zeros(256, dtype=np.int64)

    @property
    def count(self):
        return len(self.names)

    def add(self, window):
        """Read ``window``; write its chips unless too little of it is labelled or it
        straddles the validation and training areas."""
        role = self.splitter.assign(window) if self.splitter is not None else None
        if self.splitter is not None and role is None:
            self.dropped += 1
            return
        chip = raster.read_window(self.image_ds, window)  # (h, w, bands) view
        planes = np.moveaxis(chip, -1, 0)  # the (bands, h, w) array GDAL returned
        valid = self._valid(planes)
        self.windows_read += 1
        self.valid_px += int(valid.sum()) if valid is not None else window.width * window.height
        labels = None
        if self.label_ds is not None:
            labels = self._labels(window)
            if valid is not None:
                labels[~valid] = IGNORE
            kept = np.count_nonzero(labels != IGNORE)
        else:
            kept = valid.sum() if valid is not None else window.width * window.height
        if kept < self.min_labelled * window.width * window.height:
            self.skipped += 1
            return
        name = f"{self.prefix}_{self.count:06d}"
        gt = raster.window_geotransform(self.geotransform, window)
        self._write(os.path.join(self.output_dir, IMAGES, name + ".tif"), planes,
                    self.gdal_type, gt, self.nodata)
        if labels is not None:
            self._write(os.path.join(self.output_dir, LABELS, name + ".tif"),
                        labels[np.newaxis], gdal.GDT_Byte, gt, [IGNORE], self.color_table)
            self.classes += np.bincount(labels.ravel(), minlength=256)
        self._accumulate(planes, valid)
        self.names.append(name)
        self.windows[name] = window
        if role is not None:
            self.roles[role].append(name)

    def _valid(self, planes):
        """Pixels valid on every band, or None when all are."""
        valid = None
        for plane, nd in zip(planes, self.nodata):
            bad = _invalid(plane, nd)
            if bad is not None and bad.any():
                valid = ~bad if valid is None else valid & ~bad
        return valid

    def _labels(self, window):
        data = raster.read_band_window(self.label_band, window)
        bad = _invalid(data, self.label_nodata)
        if bad is None:
            bad = np.zeros(data.shape, dtype=bool)
        good = data[~bad] if data.dtype != np.uint8 else data[:0]  # Byte: all in range
        if good.size and (good.min() < 0 or good.max() > IGNORE
                          or (data.dtype.kind == "f" and np.any(good != np.round(good)))):
            wrong = good[(good < 0) | (good > IGNORE) | (good != np.round(good))][0]
            raise InputError(
                "The label {source} has the value {wrong} at pixels ({x}, {y}) + {width} "
                "x {height}: class values must be whole numbers 0..254 (255 = "
                "unlabelled).",
                source=self.label_source, wrong=f"{float(wrong):g}", x=window.x, y=window.y,
                width=window.width, height=window.height)
        labels = np.where(bad, IGNORE, data).astype(np.uint8) if bad.any() \
            else data.astype(np.uint8, copy=data.dtype != np.uint8)
        return labels

    def _accumulate(self, planes, valid):
        flat = planes.reshape(self.bands, -1)
        if valid is not None:
            flat = flat[:, valid.ravel()]
        values = flat.astype(np.float64)
        self.count_px += values.shape[1]
        self.sum += values.sum(axis=1)
        self.sumsq += np.einsum("ij,ij->i", values, values)

    def _write(self, path, planes, data_type, gt, nodata, color_table=None):
        bands, h, w = planes.shape
        self.created.append(path)  # before creating: a failed run removes it
        ds = raster.gdal_call(self.driver.Create, path, w, h, bands, data_type)
        if ds is None:
            raise InputError("Cannot create the chip {path}: {gdal_error}.",
                             path=path, gdal_error=raster.last_error("write error"))
        ok = raster.gdal_ok(ds.SetGeoTransform, gt)
        ok = ok and (not self.projection or raster.gdal_ok(ds.SetProjection, self.projection))
        for i, nd in enumerate(nodata):
            if nd is not None:
                ok = ok and raster.gdal_ok(ds.GetRasterBand(i + 1).SetNoDataValue, nd)
        if color_table is not None:
            ok = ok and raster.gdal_ok(ds.GetRasterBand(1).SetRasterColorTable, color_table)
        if not ok or not raster.gdal_ok(ds.WriteRaster, 0, 0, w, h,
                                        np.ascontiguousarray(planes)):
            raise InputError("Cannot write the chip {path}: {gdal_error}.",
                             path=path, gdal_error=raster.last_error("write error"))
        ds = None


def _invalid(data, nodata):
    """Pixels of ``data`` equal to ``nodata`` (NaN-aware) or NaN; None when the
    type and nodata leave no pixel invalid."""
    bad = None
    if nodata is not None:
        bad = np.isnan(data) if math.isnan(nodata) else data == nodata
    if data.dtype.kind == "f":
        nan = np.isnan(data)
        bad = nan if bad is None else bad | nan
    return bad
