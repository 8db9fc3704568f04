"""Which chips validate and which train: spatially separated splits.

Chips cut from one scene overlap (a stride smaller than the tile) and sit
next to each other; splitting them at random puts pixels of the validation
chips into training chips, so early stopping and the best epoch would be
chosen on pixels the network has seen. The default split is spatial, like
OTBTF's chessboard selection: square blocks on the ground (a :class:`Lattice`
in the dataset's CRS, anchored at its first scene's corner and recorded in
dataset.json, so overlapping scenes share their blocks), every ``m``-th block
along a diagonal lattice (``m`` = 1 / validation fraction) is a validation
block, a chip inside validation blocks validates, a chip touching no
validation block trains, and a chip that straddles both is dropped. So no
validation pixel lies in any training chip, by construction, and
:func:`val_pixels_in_train_footprints` measures it over all scenes of a
dataset. The block side adapts to the scene's chips (:func:`choose_lattice`)
so that validation holds about the validation fraction of them; fewer than
:data:`MIN_VAL_CHIPS` or :data:`MIN_VAL_SHARE` of all chips are too few to
choose epochs by (:func:`too_few_for_validation`: Tile Dataset warns, Train
Model keeps the last epoch).

``AreaSplit`` does the same with polygons a user drew (VALIDATION_AREA);
``random_split`` keeps the old behaviour on request. Imports numpy and OGR
only: this runs inside QGIS's process.
"""

import collections
import dataclasses
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


MIN_VAL_CHIPS = 8      # fewer validation chips than this cannot judge epochs...
MIN_VAL_SHARE = 0.05   # ...nor fewer than this share of all chips


def too_few_for_validation(n_val, n_chips):
    """True when ``n_val`` validation chips of a dataset of ``n_chips`` are too few
    to choose epochs by: fewer than MIN_VAL_CHIPS or than MIN_VAL_SHARE of all."""
    return n_val < MIN_VAL_CHIPS or n_val < MIN_VAL_SHARE * n_chips


def min_validation_chips(n_chips):
    """The fewest validation chips that :func:`too_few_for_validation` accepts."""
    return max(MIN_VAL_CHIPS, math.ceil(MIN_VAL_SHARE * n_chips))


@dataclasses.dataclass(frozen=True)
class Lattice:
    """Square blocks on the ground: block (row, col) spans ``origin + (col, row) *
    step`` (map units of the dataset's CRS; ``step`` signed like the pixel size),
    and validates when ``(2 * row + col + offset) % period == 0``. One lattice
    serves every scene of a dataset in that CRS, so scenes that overlap share
    their blocks: a validation block of one is a validation block of all."""

    origin: tuple
    step: tuple
    period: int
    offset: int

    def to_json(self):
        return {"origin": [float(v) for v in self.origin],
                "block_size": [float(v) for v in self.step],
                "period": int(self.period), "offset": int(self.offset)}

    @classmethod
    def from_json(cls, value):
        """The lattice dataset.json records, or None when it records none (or a
        malformed one: the scene then gets a lattice of its own)."""
        try:
            lattice = cls(tuple(float(v) for v in value["origin"]),
                          tuple(float(v) for v in value["block_size"]),
                          int(value["period"]), int(value["offset"]))
        except (TypeError, KeyError, ValueError):
            return None
        ok = (len(lattice.origin) == 2 and len(lattice.step) == 2 and lattice.period >= 2
              and all(math.isfinite(v) and v != 0 for v in lattice.step))
        return lattice if ok else None

    def is_val(self, rows, cols):
        return (2 * np.asarray(rows) + np.asarray(cols) + self.offset) % self.period == 0


MAX_DROPPED = 0.5  # of the windows: a block size that drops more is not tried
_EPS = 1e-6  # of a block: a chip edge on a block edge touches one block, not two


def _block_ranges(lattice, geotransform, windows):
    """(r0, r1, c0, c1) arrays: the blocks each window touches, inclusive."""
    w = np.array([(v.x, v.y, v.width, v.height) for v in windows], dtype=np.float64)
    x0, dx, rx, y0, ry, dy = geotransform
    px = np.stack([w[:, 0], w[:, 0] + w[:, 2], w[:, 0], w[:, 0] + w[:, 2]], axis=1)
    py = np.stack([w[:, 1], w[:, 1], w[:, 1] + w[:, 3], w[:, 1] + w[:, 3]], axis=1)
    u = (x0 + px * dx + py * rx - lattice.origin[0]) / lattice.step[0]
    v = (y0 + px * ry + py * dy - lattice.origin[1]) / lattice.step[1]
    c0 = np.floor(u.min(axis=1) + _EPS).astype(np.int64)
    c1 = np.ceil(u.max(axis=1) - _EPS).astype(np.int64) - 1
    r0 = np.floor(v.min(axis=1) + _EPS).astype(np.int64)
    r1 = np.ceil(v.max(axis=1) - _EPS).astype(np.int64) - 1
    return r0, np.maximum(r1, r0), c0, np.maximum(c1, c0)


def assign_windows(lattice, geotransform, windows):
    """(val, mixed) boolean arrays: windows inside validation blocks only, and
    windows touching validation and training blocks (the rest train)."""
    if not len(windows):
        return np.zeros(0, bool), np.zeros(0, bool)
    r0, r1, c0, c1 = _block_ranges(lattice, geotransform, windows)
    span = int(max((r1 - r0).max(), (c1 - c0).max())) + 1
    n_val = np.zeros(len(windows), np.int64)
    n_all = np.zeros(len(windows), np.int64)
    for i in range(span):
        for j in range(span):
            inside = (r0 + i <= r1) & (c0 + j <= c1)
            n_all += inside
            n_val += inside & lattice.is_val(r0 + i, c0 + j)
    val = n_val == n_all
    return val, (n_val > 0) & ~val


class BlockSplit:
    """Validation blocks of a :class:`Lattice` (on the ground), seen from one
    scene's pixel grid."""

    method = "blocks"

    def __init__(self, lattice, geotransform, width, height):
        self.lattice = lattice
        self.geotransform = tuple(geotransform)
        self.width, self.height = int(width), int(height)

    def assign(self, window):
        """TRAIN, VAL, or None for a chip that straddles both."""
        val, mixed = assign_windows(self.lattice, self.geotransform, [window])
        return VAL if val[0] else (None if mixed[0] else TRAIN)

    def describe(self):
        r0, r1, c0, c1 = _block_ranges(self.lattice, self.geotransform,
                                       [_Window(0, 0, self.width, self.height)])
        rows, cols = np.mgrid[r0[0]:r1[0] + 1, c0[0]:c1[0] + 1]
        pixel = math.hypot(self.geotransform[1], self.geotransform[4]) or 1.0
        return {"method": self.method,
                "block_size": int(round(abs(self.lattice.step[0]) / pixel)),
                "validation_blocks": int(self.lattice.is_val(rows, cols).sum()),
                "blocks": int(rows.size), "lattice": self.lattice.to_json()}


_Window = collections.namedtuple("_Window", "x y width height")


def lattice_period(val_fraction):
    """Every how many blocks along a diagonal one validates: 1 / ``val_fraction``."""
    return max(2, int(round(1.0 / float(val_fraction))))


def block_sides(width, height, tile_size):
    """The block sides (pixels) tried for a new lattice: from one tile to the
    scene's longer side, a quarter tile apart (at most about 100 of them)."""
    tile = int(tile_size)
    longest = max(int(width), int(height), tile)
    step = max(1, tile // 4, math.ceil((longest - tile) / 100))
    return list(range(tile, longest + 1, step))


def choose_lattice(windows, geotransform, width, height, tile_size, val_fraction, seed=0):
    """A new lattice anchored at the scene's top-left corner whose blocks put about
    ``val_fraction`` of ``windows`` (the scene's windows, or a sample of them) in
    validation, or None when no block size leaves both validation and training
    chips while dropping at most MAX_DROPPED of them. Each block side is scored
    by how far the validation share of the kept chips is from ``val_fraction``
    (relative to it) plus the share of chips dropped for straddling both; the
    lowest score wins, the larger block on a tie."""
    period = lattice_period(val_fraction)
    offset = int(seed) % period
    x0, dx, _, y0, _, dy = geotransform
    target = float(val_fraction)
    best = None
    for side in block_sides(width, height, tile_size):
        lattice = Lattice((x0, y0), (side * dx, side * dy), period, offset)
        val, mixed = assign_windows(lattice, geotransform, windows)
        n_val, n_drop = int(val.sum()), int(mixed.sum())
        n_train = len(windows) - n_val - n_drop
        if not n_val or not n_train or n_drop > MAX_DROPPED * len(windows):
            continue
        score = abs(n_val / (n_val + n_train) - target) / target + n_drop / len(windows)
        if best is None or score <= best[0] + 1e-12:
            best = (score, lattice)
    return best[1] if best else None


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
               image_ds=None, windows=(), lattice=None):
    """The spatial splitter for one scene, or None: a random split (asked for, or the
    scene is too small for blocks of its tiles) or no validation.

    ``lattice``: the dataset's block lattice, which the scene shares (None: a new
    one is chosen for ``windows``, the scene's windows or a sample of them)."""
    if validation_area:
        return AreaSplit(validation_area, image_ds)
    if method not in METHODS:
        raise InputError("Unknown split method {method}: use one of {methods}.",
                         method=repr(method), methods=", ".join(METHODS))
    if method == "area":
        raise InputError("The split method 'area' needs a validation area (polygons).")
    if method == "random" or float(val_fraction) <= 0:
        return None
    geotransform = image_ds.GetGeoTransform()
    if lattice is None:
        lattice = choose_lattice(windows, geotransform, width, height, tile_size,
                                 val_fraction, seed)
    if lattice is None:
        return None  # too small for blocks: the caller says so and splits at random
    return BlockSplit(lattice, geotransform, width, height)


def footprint(geotransform, window):
    """A chip's ground footprint ``(left, bottom, right, top, width, height)``: the
    bounding box of ``window`` on a grid with ``geotransform``, and its pixels."""
    x0, dx, rx, y0, ry, dy = geotransform
    xs = [x0 + px * dx + py * rx for px in (window.x, window.x + window.width)
          for py in (window.y, window.y + window.height)]
    ys = [y0 + px * ry + py * dy for px in (window.x, window.x + window.width)
          for py in (window.y, window.y + window.height)]
    return (min(xs), min(ys), max(xs), max(ys), int(window.width), int(window.height))


def val_pixels_in_train_footprints(train, val):
    """How many pixels of the validation chips lie in at least one training chip,
    every chip given by its ground :func:`footprint` (chips of all scenes of a
    dataset, in one CRS). A validation pixel counts when its centre lies inside
    a training chip; on one grid that is exactly the shared pixels."""
    if not len(train) or not len(val):
        return 0
    t = np.asarray([f[:4] for f in train], dtype=np.float64)
    total = 0
    for left, bottom, right, top, w, h in val:
        pw, ph = (right - left) / w, (top - bottom) / h
        tol_x, tol_y = 1e-6 * pw, 1e-6 * ph
        hit = ((t[:, 0] < right - tol_x) & (t[:, 2] > left + tol_x)
               & (t[:, 1] < top - tol_y) & (t[:, 3] > bottom + tol_y))
        if not hit.any():
            continue
        covered = np.zeros((h, w), dtype=bool)
        for tl, tb, tr, tt in t[hit]:
            i0 = max(0, math.ceil((tl - left) / pw - 0.5 - 1e-9))
            i1 = min(w - 1, math.floor((tr - left) / pw - 0.5 + 1e-9))
            j0 = max(0, math.ceil((top - tt) / ph - 0.5 - 1e-9))
            j1 = min(h - 1, math.floor((top - tb) / ph - 0.5 + 1e-9))
            if i0 <= i1 and j0 <= j1:
                covered[j0:j1 + 1, i0:i1 + 1] = True
        total += int(covered.sum())
    return total


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
