"""Which chips validate and which train: spatially separated splits.

Chips cut from one scene overlap (a stride smaller than the tile) and sit
next to each other; splitting them at random puts pixels of the validation
chips into training chips, so early stopping and the best epoch would be
chosen on pixels the network has seen. The default split is spatial, like
OTBTF's chessboard selection: the scene is divided into square blocks, every
``m``-th block along a diagonal lattice (``m`` = 1 / validation fraction) is a
validation block, a chip inside validation blocks validates, a chip touching
no validation block trains, and a chip that straddles both is dropped. So no
validation pixel lies in any training chip, by construction, and
:func:`val_pixels_in_train_chips` measures it.

``AreaSplit`` does the same with polygons a user drew (VALIDATION_AREA);
``random_split`` keeps the old behaviour on request. Imports numpy and OGR
only: this runs inside QGIS's process.
"""

import math

import numpy as np
from osgeo import ogr, osr

from . import vectorize
from ..errors import InputError

METHODS = ("blocks", "random", "area")  # "area": set by a validation area, not chosen
TRAIN, VAL = "train", "val"


def random_split(names, val_fraction, seed):
    """(train, val) name lists drawn at random, reproducible by ``seed``."""
    if val_fraction <= 0 or len(names) < 2:
        return sorted(names), []
    names = sorted(names)
    n_val = min(len(names) - 1, max(1, int(np.ceil(float(val_fraction) * len(names)))))
    order = np.random.default_rng(int(seed)).permutation(len(names))
    val = {names[i] for i in order[:n_val]}
    return [n for n in names if n not in val], sorted(val)


class BlockSplit:
    """Validation blocks on a diagonal lattice over the scene's pixel grid."""

    method = "blocks"

    def __init__(self, width, height, tile_size, val_fraction, seed=0, block_size=0,
                 random_windows=False):
        self.period = _period(val_fraction)
        self.block = int(block_size) or block_size_for(width, height, tile_size, val_fraction,
                                                       random_windows) or int(tile_size)
        self.cols = max(1, math.ceil(width / self.block))
        self.rows = max(1, math.ceil(height / self.block))
        offset = int(seed) % self.period
        cells = np.add.outer(np.arange(self.rows) * 2, np.arange(self.cols))  # (row, col)
        self.val_blocks = (cells + offset) % self.period == 0
        if self.val_blocks.size < 2:  # one block: nothing to hold out, all chips train
            self.val_blocks[:] = False
        elif not self.val_blocks.any():  # a scene of very few blocks: one validates
            self.val_blocks.flat[int(seed) % self.val_blocks.size] = True

    def assign(self, window):
        """TRAIN, VAL, or None for a chip that straddles both."""
        b = self.block
        r0, r1 = window.y // b, (window.y + window.height - 1) // b
        c0, c1 = window.x // b, (window.x + window.width - 1) // b
        touched = self.val_blocks[r0:r1 + 1, c0:c1 + 1]
        if touched.all():
            return VAL
        return None if touched.any() else TRAIN

    def describe(self):
        return {"method": self.method, "block_size": self.block,
                "validation_blocks": int(self.val_blocks.sum()),
                "blocks": int(self.val_blocks.size)}


def _blocks(width, height, block):
    return max(1, math.ceil(width / block)) * max(1, math.ceil(height / block))


def _period(val_fraction):
    return max(2, int(round(1.0 / float(val_fraction))))


def block_size_for(width, height, tile_size, val_fraction, random_windows=False):
    """The block side for a scene, or None when the scene is too small to hold
    validation blocks apart from training ones. Grid chips fit blocks of one or
    two tiles; random windows need blocks of two or four tiles to fall inside
    one. The largest size that makes enough blocks (one period of the lattice
    plus one) wins."""
    need = _period(val_fraction) + 1
    for factor in (4, 2) if random_windows else (2, 1):
        if _blocks(width, height, factor * int(tile_size)) >= need:
            return factor * int(tile_size)
    return None


class AreaSplit:
    """Chips inside the user's validation polygons validate; chips touching them
    are dropped; the rest train."""

    method = "area"

    def __init__(self, vector, image_ds):
        self.vector = vector
        self.geotransform = image_ds.GetGeoTransform()
        self.area = _polygons_on_grid(vector, image_ds.GetProjection())

    def assign(self, window):
        x0, dx, _, y0, _, dy = self.geotransform
        left, right = x0 + window.x * dx, x0 + (window.x + window.width) * dx
        top, bottom = y0 + window.y * dy, y0 + (window.y + window.height) * dy
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ((left, top), (right, top), (right, bottom), (left, bottom), (left, top)):
            ring.AddPoint_2D(x, y)
        rect = ogr.Geometry(ogr.wkbPolygon)
        rect.AddGeometry(ring)
        if rect.Within(self.area):
            return VAL
        return None if rect.Intersects(self.area) else TRAIN

    def describe(self):
        return {"method": self.method, "validation_area": str(self.vector)}


def _polygons_on_grid(vector, image_wkt):
    """The union of the polygons of ``vector`` in the image's CRS."""
    path, layer_name, subset = vectorize.split_vector_path(vector)
    source = ogr.Open(path)
    if source is None:
        raise InputError("Cannot open the validation area {vector}.", vector=vector)
    layer = vectorize.pick_layer(source, layer_name)
    if layer is None:
        raise InputError("The validation area {vector} has no layer {layer}.",
                         vector=vector, layer=layer_name)
    if subset:
        layer.SetAttributeFilter(subset)
    transform = None
    layer_srs = layer.GetSpatialRef()
    if layer_srs is not None and image_wkt:
        image_srs = osr.SpatialReference()
        image_srs.ImportFromWkt(image_wkt)
        for srs in (layer_srs, image_srs):
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if not layer_srs.IsSame(image_srs):
            transform = osr.CoordinateTransformation(layer_srs, image_srs)
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    for feature in layer:
        geometry = feature.GetGeometryRef()
        if geometry is None:
            continue
        geometry = geometry.Clone()
        if transform is not None:
            geometry.Transform(transform)
        union = union.Union(geometry)
    if union.IsEmpty() or union.GetArea() <= 0:
        raise InputError("The validation area {vector} holds no polygon.", vector=vector)
    return union


def make_split(method, val_fraction, width, height, tile_size, seed=0, validation_area=None,
               image_ds=None, random_windows=False):
    """The spatial splitter for one scene, or None: a random split (asked for, or the
    scene is too small for blocks of its tiles) or no validation."""
    if validation_area:
        return AreaSplit(validation_area, image_ds)
    if method not in METHODS:
        raise InputError("Unknown split method {method}: use one of {methods}.",
                         method=repr(method), methods=", ".join(METHODS))
    if method == "area":
        raise InputError("The split method 'area' needs a validation area (polygons).")
    if method == "random" or float(val_fraction) <= 0:
        return None
    if block_size_for(width, height, tile_size, val_fraction, random_windows) is None:
        return None  # too small for blocks: the caller says so and splits at random
    return BlockSplit(width, height, tile_size, val_fraction, seed,
                      random_windows=random_windows)


def val_pixels_in_train_chips(train_windows, val_windows):
    """How many pixels of the validation chips lie in at least one training chip."""
    if not train_windows or not val_windows:
        return 0
    t = np.array([(w.x, w.y, w.x + w.width, w.y + w.height) for w in train_windows])
    total = 0
    for v in val_windows:
        hit = ((t[:, 0] < v.x + v.width) & (t[:, 2] > v.x)
               & (t[:, 1] < v.y + v.height) & (t[:, 3] > v.y))
        if not hit.any():
            continue
        covered = np.zeros((v.height, v.width), dtype=bool)
        for x0, y0, x1, y1 in t[hit]:
            covered[max(y0 - v.y, 0):min(y1 - v.y, v.height),
                    max(x0 - v.x, 0):min(x1 - v.x, v.width)] = True
        total += int(covered.sum())
    return total
