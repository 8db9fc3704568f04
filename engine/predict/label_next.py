"""Predict Raster's "label next" output (``output_label_next``): where
labelling helps the model most.

The ``label_next_count`` cells (squares of the model's training tile, on the
scene's pixel grid, clipped to the extent) with the highest mean normalised
entropy, as polygons (GeoPackage or Shapefile by extension). Fields ``rank``
(1 = most uncertain), ``score`` (mean entropy of its valid pixels), ``class``
(the predicted majority class value: correct it, or draw finer polygons,
then give the layer to Tile Dataset as LABEL_VECTOR with LABEL_FIELD
``class``), ``class_mix`` (JSON: the share of each class name among its
predicted pixels) and ``valid`` (its share of predicted pixels).

:class:`Cells` gathers the sums while the class raster is written
(:class:`.output_rasters.Writer`); :func:`write_label_next` writes the
ranked cells once the scene is done.
"""

import json
import os

import numpy as np
from osgeo import ogr

from .. import outputs
from ..data import raster, vectorize
from ..errors import InputError


class Cells:
    """Per-cell sums for "label next": entropy, valid pixels and class counts
    over squares of ``cell`` scene pixels (anchored to the scene's grid)."""

    def __init__(self, grid, cell, n_classes):
        self.grid, self.cell, self.n = grid, int(cell), int(n_classes)
        self.cy0, self.cx0 = grid.y // self.cell, grid.x // self.cell
        self.ny = (grid.y + grid.height - 1) // self.cell - self.cy0 + 1
        self.nx = (grid.x + grid.width - 1) // self.cell - self.cx0 + 1
        cols = (grid.x + np.arange(grid.width)) // self.cell - self.cx0
        self.cols = cols.astype(np.int64)
        self.entropy = np.zeros(self.ny * self.nx, np.float64)
        self.valid = np.zeros(self.ny * self.nx, np.int64)
        self.pixels = np.zeros(self.ny * self.nx, np.int64)
        self.classes = np.zeros(self.ny * self.nx * self.n, np.int64)

    def add(self, top, col, entropy, index, nodata):
        """Rows ``top..`` and columns ``col..`` of the output grid: entropy,
        class index, nodata."""
        rows = (self.grid.y + top + np.arange(len(entropy))) // self.cell - self.cy0
        cols = self.cols[int(col):int(col) + entropy.shape[1]]
        cell = (rows[:, None] * self.nx + cols[None, :])
        size = self.ny * self.nx
        self.pixels += np.bincount(cell.ravel(), minlength=size)
        ok = ~nodata
        c = cell[ok]
        self.valid += np.bincount(c, minlength=size)
        self.entropy += np.bincount(c, weights=entropy[ok], minlength=size)
        self.classes += np.bincount(c * self.n + index[ok], minlength=size * self.n)

    def ranked(self, count):
        """``[(cell_row, cell_col, score, valid share, class counts)]``, best first."""
        score = np.where(self.valid > 0, self.entropy / np.maximum(self.valid, 1), -1.0)
        order = np.argsort(-score, kind="stable")
        out = []
        for k in order[:count]:
            if self.valid[k] == 0:
                break
            out.append((int(k // self.nx) + self.cy0, int(k % self.nx) + self.cx0,
                        float(score[k]), float(self.valid[k] / max(self.pixels[k], 1)),
                        self.classes[k * self.n:(k + 1) * self.n]))
        return out


def write_label_next(path, cells, count, classes, scene_geotransform, projection, grid):
    """The ``count`` most uncertain cells as ranked polygons (see the module docstring)."""
    driver = ogr.GetDriverByName(vectorize.driver_for(path))
    partial = outputs.partial_path(path)
    ds = raster.gdal_call(driver.CreateDataSource, partial)
    if ds is None:
        raise InputError("Cannot create the vector file {path}: {gdal_error}.",
                         path=path, gdal_error=raster.last_error("write error"))
    srs = raster.srs_from_wkt(projection) if projection else None
    layer = ds.CreateLayer(os.path.splitext(os.path.basename(path))[0], srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("rank", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("score", ogr.OFTReal))
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    mix = ogr.FieldDefn("class_mix", ogr.OFTString)
    mix.SetWidth(254)
    layer.CreateField(mix)
    layer.CreateField(ogr.FieldDefn("valid", ogr.OFTReal))
    x0, dx, _, y0, _, dy = scene_geotransform
    size = cells.cell
    layer.StartTransaction()
    for rank, (cy, cx, score, valid, counts) in enumerate(cells.ranked(count), start=1):
        c0, r0 = max(cx * size, grid.x), max(cy * size, grid.y)
        c1 = min((cx + 1) * size, grid.x + grid.width)
        r1 = min((cy + 1) * size, grid.y + grid.height)
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for c, r in ((c0, r0), (c1, r0), (c1, r1), (c0, r1), (c0, r0)):
            ring.AddPoint_2D(x0 + c * dx, y0 + r * dy)
        polygon = ogr.Geometry(ogr.wkbPolygon)
        polygon.AddGeometry(ring)
        total = max(int(counts.sum()), 1)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("rank", rank)
        feature.SetField("score", round(score, 6))
        feature.SetField("class", int(classes[int(np.argmax(counts))][0]))
        feature.SetField("class_mix", json.dumps(
            {name: round(int(n) / total, 4) for (_, name, _), n in zip(classes, counts)}))
        feature.SetField("valid", round(valid, 4))
        feature.SetGeometry(polygon)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    ds = None
    return path
