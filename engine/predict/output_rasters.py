"""Predict Raster's output rasters: blended probabilities -> class,
probability, confidence and entropy pixels (the formats: prediction's module
docstring).

:class:`Writer` creates the files under their partial names
(``outputs.partial_path``), takes finished rows of summed
probabilities from either mode (stride: a row band's flush; per-image: the
upsampled strips), writes them by GDAL windowed writes, counts the class
pixels and feeds the "label next" sums (:class:`.label_next.Cells`); then
builds the overviews. Renaming and removing the files is the caller's.
"""

import math

import numpy as np
from osgeo import gdal

from .. import outputs
from ..data import raster
from ..data.labels import IGNORE
from ..progress import GdalProgress
from .label_next import Cells

FLOAT_NODATA = -1.0  # the Float32 outputs'
BYTE_NODATA = 255  # a Byte probability raster's (its values are 0..254)


def normalised_entropy(p, axis=-1):
    """Shannon entropy of probabilities ``p`` along ``axis`` divided by
    ``log(n_classes)``: 0 (one class certain) .. 1 (all equally likely)."""
    n = p.shape[axis]
    if n < 2:
        return np.zeros(np.delete(p.shape, axis % p.ndim), np.float32)
    q = np.clip(p, 1e-12, 1.0)
    h = -(p * np.log(q)).sum(axis=axis) / np.float32(math.log(n))
    return np.clip(h, 0.0, 1.0).astype(np.float32)


class Writer:
    """Turns finished rows of summed probabilities into output pixels."""

    def __init__(self, p, plan, geotransform, projection, classes):
        self.values = np.array([c[0] for c in classes])
        grid = plan.grid
        self.grid, self.hull = grid, plan.hull
        self.lut = self.values.astype(np.uint8)
        self.counts = np.zeros(int(self.values.max()) + 1, np.int64)
        self.ds = raster.create(outputs.partial_path(p.output), grid.width, grid.height, 1,
                                np.uint8, geotransform, projection, nodata=IGNORE)
        self.band = self.ds.GetRasterBand(1)
        raster.set_class_table(self.band, classes)
        self.prob = None
        if p.output_probability:
            self.float = p.probability_format == "float"
            self.prob_nodata = FLOAT_NODATA if self.float else BYTE_NODATA
            self.prob = raster.create(outputs.partial_path(p.output_probability), grid.width,
                                      grid.height, len(classes),
                                      np.float32 if self.float else np.uint8,
                                      geotransform, projection, nodata=self.prob_nodata)
            for i, (_, name, _) in enumerate(classes):
                self.prob.GetRasterBand(i + 1).SetDescription(name)
        self.confidence = _float_raster(p.output_confidence, "confidence", grid,
                                        geotransform, projection)
        self.entropy = _float_raster(p.output_entropy, "normalised entropy", grid,
                                     geotransform, projection)
        self.cells = (Cells(grid, plan.label_cell, len(classes)) if p.output_label_next
                      else None)

    def write(self, top, sums, weights, invalid, left=0, owned=None, chunk=64):
        """Write the part inside the output grid of hull rows ``top..top + len(sums)``
        (the RowBand.flush callback), ``chunk`` rows at a time. ``sums[:, 0]`` is
        hull column ``left``; only hull columns ``owned`` = (x0, x1) are written
        (a strip's own columns; default: all of ``sums``)."""
        grid, hull = self.grid, self.hull
        first = hull.y + top  # scene row of sums[0]
        a, b = max(first, grid.y), min(first + len(sums), grid.y + grid.height)
        x0, x1 = owned if owned is not None else (left, left + sums.shape[1])
        lo = max(grid.x, hull.x + max(x0, left))
        hi = min(grid.x + grid.width, hull.x + min(x1, left + sums.shape[1]))
        if hi <= lo:
            return
        c0, c1 = lo - hull.x - left, hi - hull.x - left
        for r in range(a, b, chunk):
            s = slice(r - first, min(r + chunk, b) - first)
            self._write(r - grid.y, lo - grid.x, sums[s, c0:c1], weights[s, c0:c1],
                        invalid[s, c0:c1])

    def _write(self, top, col, sums, weights, invalid):
        nodata = invalid | (weights <= 0)
        index = np.argmax(sums, axis=-1)
        out = self.lut[index]
        out[nodata] = IGNORE
        raster.write_window(self.ds, out, raster.Window(int(col), int(top), out.shape[1],
                                                        len(out)))
        self.counts += np.bincount(out[~nodata].ravel(), minlength=self.counts.size)[
            : self.counts.size]
        if self.prob is None and self.confidence is None and self.entropy is None \
                and self.cells is None:
            return
        p = sums / np.maximum(weights, 1e-12)[..., None]
        where = raster.Window(int(col), int(top), p.shape[1], len(p))
        if self.prob is not None:
            q = p.astype(np.float32) if self.float else \
                np.clip(np.rint(p * 254.0), 0, 254).astype(np.uint8)
            q[nodata] = self.prob_nodata
            raster.write_window(self.prob, q, where)
        if self.confidence is not None:
            c = p.max(axis=-1).astype(np.float32)
            c[nodata] = FLOAT_NODATA
            raster.write_window(self.confidence, c, where)
        if self.entropy is not None or self.cells is not None:
            h = normalised_entropy(p)
            if self.cells is not None:
                self.cells.add(top, col, h, index, nodata)
            if self.entropy is not None:
                h[nodata] = FLOAT_NODATA
                raster.write_window(self.entropy, h, where)

    def pixels(self):
        return {int(v): int(self.counts[v]) for v in self.values}

    def close(self, progress):
        """Overviews, then close the files (still under their partial names)."""
        files = [(self.ds, "NEAREST")] + [(f, "AVERAGE") for f in
                                          (self.prob, self.confidence, self.entropy) if f]
        for i, (ds, method) in enumerate(files):
            _overviews(ds, method, progress.sub(i / len(files), (i + 1) / len(files)))
            ds.FlushCache()
        self.abandon()

    def abandon(self):
        self.ds = self.band = self.prob = self.confidence = self.entropy = None


def _float_raster(path, description, grid, geotransform, projection):
    """A one-band Float32 output of ``grid`` (nodata -1) under its partial name,
    the band named ``description``; None when ``path`` is not given."""
    if not path:
        return None
    ds = raster.create(outputs.partial_path(path), grid.width, grid.height, 1, np.float32,
                       geotransform, projection, nodata=FLOAT_NODATA)
    ds.GetRasterBand(1).SetDescription(description)
    return ds


def _overview_levels(width, height, smallest=64):
    levels, level = [], 2
    while max(width, height) / level >= smallest:
        levels.append(level)
        level *= 2
    return levels


def _overviews(ds, method, progress):
    levels = _overview_levels(ds.RasterXSize, ds.RasterYSize)
    if not levels:
        return

    callback = GdalProgress(progress)
    old = gdal.GetThreadLocalConfigOption("COMPRESS_OVERVIEW", None)
    gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
    try:
        ds.BuildOverviews(method, levels, callback=callback)
    finally:
        gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", old)
    callback.reraise()
