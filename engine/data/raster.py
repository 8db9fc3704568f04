"""GDAL raster I/O by windows: open, window generators, read, create, warp.

One window generator serves tiling, block processing and prediction
(``grid_windows`` strides over a scene, ``random_windows`` samples it,
``block_windows`` follows the file's own blocks). Memory is a window, never
a scene. This module never changes GDAL's exception mode (a global that
QGIS, other plugins and GDAL 4's default may set either way): GDAL, OGR and
OSR calls whose failure the engine reports go through :func:`gdal_call` or
:func:`gdal_ok`, which behave the same whether ``gdal.UseExceptions()`` is on
or off, and failures become :class:`~.errors.InputError` messages that name
the file.
"""

import contextlib
import json
import math
import os
import threading
from collections import namedtuple

import numpy as np
from osgeo import gdal, osr

from ..errors import InputError

Window = namedtuple("Window", "x y width height")

_NP_TO_GDAL = {
    np.dtype("uint8"): gdal.GDT_Byte,
    np.dtype("int8"): gdal.GDT_Int16,
    np.dtype("uint16"): gdal.GDT_UInt16,
    np.dtype("int16"): gdal.GDT_Int16,
    np.dtype("uint32"): gdal.GDT_UInt32,
    np.dtype("int32"): gdal.GDT_Int32,
    np.dtype("float32"): gdal.GDT_Float32,
    np.dtype("float64"): gdal.GDT_Float64,
}
_GDAL_TO_NP = {
    gdal.GDT_Byte: np.uint8,
    gdal.GDT_UInt16: np.uint16,
    gdal.GDT_Int16: np.int16,
    gdal.GDT_UInt32: np.uint32,
    gdal.GDT_Int32: np.int32,
    gdal.GDT_Float32: np.float32,
    gdal.GDT_Float64: np.float64,
}

GTIFF_OPTIONS = ("TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER")


def gdal_type(dtype):
    """The GDAL data type for a numpy dtype."""
    try:
        return _NP_TO_GDAL[np.dtype(dtype)]
    except KeyError:
        raise InputError("Unsupported pixel type {dtype}.",
                         dtype=np.dtype(dtype)) from None


def numpy_type(gdal_data_type):
    """The numpy dtype for a GDAL data type."""
    try:
        return np.dtype(_GDAL_TO_NP[gdal_data_type])
    except KeyError:
        name = gdal.GetDataTypeName(gdal_data_type)
        raise InputError("Unsupported GDAL pixel type {name}.",
                         name=name) from None


# The text of the RuntimeError GDAL raised in gdal_call/gdal_ok (with its
# exceptions on, GDAL's own last-error slot may be empty once the call is over).
_raised = threading.local()


def last_error(default):
    """GDAL's last error message, or ``default`` when there is none."""
    message = gdal.GetLastErrorMsg() or getattr(_raised, "message", "")
    return message.strip() if message else default


def gdal_call(function, *args, **kwargs):
    """``function(*args, **kwargs)`` for a GDAL/OGR/OSR call that returns an
    object, or None where it fails, with exceptions on or off.

    With ``gdal.UseExceptions()`` (or ogr's, osr's) GDAL raises RuntimeError
    where it otherwise returns None; here both come back as None, GDAL's
    messages stay off stderr and the reason is :func:`last_error`.
    """
    with quiet_gdal():
        try:
            return function(*args, **kwargs)
        except RuntimeError as exc:  # GDAL's error with exceptions on
            _raised.message = str(exc)
            return None


def gdal_ok(function, *args, **kwargs):
    """True when a GDAL/OGR/OSR call that returns an error code (CE_None,
    OGRERR_NONE: 0) or nothing succeeded, with exceptions on or off; the
    reason of a failure is :func:`last_error`."""
    with quiet_gdal():
        try:
            code = function(*args, **kwargs)
        except RuntimeError as exc:
            _raised.message = str(exc)
            return False
    return code is None or code == 0


@contextlib.contextmanager
def quiet_gdal():
    """Keep GDAL's messages off stderr (they are reported through last_error)
    and start with no error recorded."""
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        gdal.ErrorReset()
        _raised.message = ""
        yield
    finally:
        gdal.PopErrorHandler()


def missing_file(path):
    """True when ``path`` names a local file that does not exist (URLs and
    GDAL virtual paths such as /vsizip/ are left to GDAL)."""
    path = str(path)
    return "://" not in path and not path.startswith("/vsi") and not os.path.exists(path)


def open_raster(path, update=False, role="raster"):
    """Open ``path`` with GDAL; a clear InputError (naming ``role``) if it fails."""
    if not path:
        raise InputError("No {role} was given.",
                         role=role)
    if missing_file(path):
        raise InputError("The {role} file {path} does not exist.",
                         role=role, path=path)
    ds = gdal_call(gdal.Open, str(path), gdal.GA_Update if update else gdal.GA_ReadOnly)
    if ds is None:
        raise InputError("GDAL cannot open the {role} {path}: {last_error}.",
                         role=role, path=path, last_error=last_error("not a raster"))
    if ds.RasterCount == 0:
        raise InputError("The {role} {path} has no raster bands.",
                         role=role, path=path)
    return ds


def check_class_raster(ds, path, role="class raster"):
    """InputError unless ``ds`` has one band: class values are one band, and
    a colour label (RGB) read as classes would be misread."""
    if ds.RasterCount != 1:
        raise InputError("The {role} {path} has {bands} bands, but a class raster has one "
                         "band of class values. For a colour label (one colour per "
                         "class), run Color to Index first.",
                         role=role, path=path, bands=ds.RasterCount)


def check_whole_numbers(values, path):
    """InputError naming ``path`` and a sample value when a float array of
    class values (nodata and non-finite values already removed) holds a value
    that is not a whole number; integer-valued floats pass."""
    values = np.asarray(values)
    if values.dtype.kind != "f" or not values.size:
        return
    bad = values != np.round(values)
    if bad.any():
        raise InputError("The class raster {path} holds the value {value}: class values "
                         "must be whole numbers.",
                         path=path, value=f"{float(values[bad][0]):g}")


def check_class_values(values, path, n):
    """InputError naming ``path`` and a sample value when the class values
    ``values`` (nodata and non-finite values already removed) are not whole
    numbers in 0..n-1."""
    check_whole_numbers(values, path)
    if values.size and (values.min() < 0 or values.max() >= n):
        bad = values[(values < 0) | (values >= n)][0]
        raise InputError("The class raster {path} holds the value {bad:g}, outside "
                         "the class range 0..{n}.",
                         path=path, bad=bad, n=n - 1)


def band_nodata(ds):
    """The nodata value of each band (None where unset)."""
    return [ds.GetRasterBand(i + 1).GetNoDataValue() for i in range(ds.RasterCount)]


def standardise(data, mean, std, nodata):
    """``(x, valid)``: raw pixels ``data`` (h, w, bands) as float32 ``(data - mean) /
    std``, and where they are valid. A pixel is invalid where any band holds its
    ``nodata`` value (NaN-aware) or a non-finite float; invalid pixels become 0,
    the training mean. Training (engine/data/dataset.py) and prediction
    (engine/predict/prediction.py) both call this, so the network sees nodata the same way.
    """
    valid = np.ones(data.shape[:2], bool)
    for i, nd in enumerate(nodata or ()):
        if nd is not None:
            plane = data[..., i]
            valid &= ~np.isnan(plane) if math.isnan(nd) else plane != nd
    if data.dtype.kind == "f":
        valid &= np.isfinite(data).all(axis=-1)
    x = (data.astype(np.float32) - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    x[~valid] = 0.0
    return x, valid


# ---------------------------------------------------------------- windows
def axis_starts(length, size, stride):
    """Window offsets along one axis: every ``stride``, the last flush with the end."""
    if length <= size:
        return [0]
    starts = list(range(0, length - size + 1, stride))
    if starts[-1] != length - size:
        starts.append(length - size)
    return starts


def grid_windows(width, height, size, stride=None):
    """Windows of ``size`` x ``size`` every ``stride`` pixels covering the scene.

    The last row and column of windows are moved back to end at the scene
    edge, so every pixel is covered and no window leaves the scene. A scene
    smaller than ``size`` along an axis gets one window of the scene's extent
    along that axis.
    """
    stride = int(stride or size)
    if size <= 0 or stride <= 0:
        raise InputError("Tile size ({size}) and stride ({stride}) must be positive.",
                         size=size, stride=stride)
    return [
        Window(x, y, min(size, width), min(size, height))
        for y in axis_starts(height, size, stride)
        for x in axis_starts(width, size, stride)
    ]


def random_windows(width, height, size, count, rng):
    """``count`` windows of ``size`` at random positions inside the scene."""
    if width < size or height < size:
        raise InputError(
            "The scene ({width} x {height} pixels) is smaller than a tile ({size} x "
            "{size}).",
            width=width, height=height, size=size
        )
    xs = rng.integers(0, width - size + 1, size=count)
    ys = rng.integers(0, height - size + 1, size=count)
    return [Window(int(x), int(y), size, size) for x, y in zip(xs, ys)]


def block_windows(ds, target_pixels=1 << 22):
    """Windows that follow the first band's block layout, grouped to about
    ``target_pixels`` pixels each: full-width strips of whole block rows for
    striped files, block-aligned squares for tiled ones."""
    width, height = ds.RasterXSize, ds.RasterYSize
    bx, by = ds.GetRasterBand(1).GetBlockSize()
    bx, by = max(1, min(bx, width)), max(1, min(by, height))
    if bx >= width:  # striped: strips of whole rows
        rows = max(by, (target_pixels // max(width, 1)) // by * by)
        return [Window(0, y, width, min(rows, height - y)) for y in range(0, height, rows)]
    side = max(1, int(math.sqrt(target_pixels / (bx * by))))
    wx, wy = bx * side, by * side
    return [
        Window(x, y, min(wx, width - x), min(wy, height - y))
        for y in range(0, height, wy)
        for x in range(0, width, wx)
    ]


def read_window(ds, window, bands=None):
    """Pixels of ``window`` as an array (height, width, bands)."""
    bands = list(bands) if bands is not None else list(range(1, ds.RasterCount + 1))
    data = gdal_call(ds.ReadAsArray, window.x, window.y, window.width, window.height,
                     band_list=bands)
    if data is None:
        raise InputError("GDAL could not read {source}: {last_error}.",
                         source=ds.GetDescription(), last_error=last_error("read error"))
    if data.ndim == 2:
        data = data[np.newaxis]
    return np.moveaxis(data, 0, -1)


def read_band_window(band, window):
    """Pixels of ``window`` from one band, as a 2-D array."""
    data = gdal_call(band.ReadAsArray, window.x, window.y, window.width, window.height)
    if data is None:
        raise InputError("GDAL could not read {source}: {last_error}.",
                         source=band.GetDataset().GetDescription(),
                         last_error=last_error("read error"))
    return data


# ---------------------------------------------------------------- writing
def create(path, width, height, bands, data_type, geotransform=None, projection=None,
           nodata=None, driver="GTiff", options=GTIFF_OPTIONS):
    """Create a raster (``data_type`` a numpy dtype or a GDAL type code)."""
    if not isinstance(data_type, int):
        data_type = gdal_type(data_type)
    drv = gdal.GetDriverByName(driver)
    if drv is None:
        raise InputError("The GDAL driver {driver} is not available.",
                         driver=driver)
    make_folder(os.path.dirname(os.path.abspath(path)))
    ds = gdal_call(drv.Create, str(path), int(width), int(height), int(bands), data_type,
                   list(options or []))
    if ds is None:
        raise InputError("Cannot create {path}: {last_error}.",
                         path=path, last_error=last_error("write error"))
    ok = geotransform is None or gdal_ok(ds.SetGeoTransform, tuple(geotransform))
    ok = ok and (not projection or gdal_ok(ds.SetProjection, projection))
    if nodata is not None:
        for i in range(bands):
            ok = ok and gdal_ok(ds.GetRasterBand(i + 1).SetNoDataValue, float(nodata))
    if not ok:
        raise InputError("Cannot set the georeference of {path}: {last_error}.",
                         path=path, last_error=last_error("write error"))
    return ds


def make_folder(folder):
    """Create ``folder`` (and its parents) unless it exists; InputError naming
    it when that is impossible (a file in the way, no permission...)."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise InputError("Cannot create the folder {folder}: {error}.",
                         folder=folder, error=exc.strerror or exc) from None


def window_geotransform(geotransform, window):
    """The geotransform of ``window`` inside a raster with ``geotransform``."""
    x0, dx, rx, y0, ry, dy = geotransform
    return (x0 + window.x * dx + window.y * rx, dx, rx,
            y0 + window.x * ry + window.y * dy, ry, dy)


def write_window(ds, array, window):
    """Write ``array`` (height, width[, bands]) at ``window``'s offset."""
    if array.ndim == 2:
        array = array[..., np.newaxis]
    for i in range(array.shape[-1]):
        if not gdal_ok(ds.GetRasterBand(i + 1).WriteArray, array[..., i],
                       window.x, window.y):
            raise InputError("GDAL could not write {target}: {last_error}.",
                             target=ds.GetDescription(), last_error=last_error("write error"))


# The band metadata item that carries the class names inside the file itself:
# GDAL's GTiff keeps category names only in the .aux.xml sidecar, but band
# metadata in the TIFF's own GDAL_METADATA tag, so a copy of the .tif alone
# keeps its names (the colour table is inside the TIFF already). The value is
# a JSON list of names indexed by class value ("" for values without a class).
CLASS_NAMES_ITEM = "SEMSEG_CLASS_NAMES"


def category_names(band):
    """The band's class names by value (a list, empty when none are set): GDAL's
    category names, else those of the band's :data:`CLASS_NAMES_ITEM`.

    GDAL 3.6's GTiff keeps category names in the .aux.xml sidecar and loads that
    only on a first metadata call; ``GetCategoryNames()`` alone returns None.
    """
    band.GetDescription()  # loads the .aux.xml (GDAL 3.6 GTiff)
    names = list(band.GetCategoryNames() or [])
    return names if any(names) else internal_class_names(band)


def internal_class_names(band):
    """The names of the band's :data:`CLASS_NAMES_ITEM` (empty when it has none
    or it is not a JSON list of strings)."""
    text = band.GetMetadataItem(CLASS_NAMES_ITEM)
    if not text:
        return []
    try:
        names = json.loads(text)
    except ValueError:
        return []
    if not isinstance(names, list) or len(names) > 65536:
        return []
    return [name if isinstance(name, str) else "" for name in names]


def set_class_table(band, classes):
    """Give a Byte band a colour table and class names: GDAL's category names
    (an .aux.xml sidecar for GTiff) and :data:`CLASS_NAMES_ITEM` (inside the file
    when the band's dataset is writable, as one being created is).

    ``classes``: iterable of ``(value, name, (r, g, b))`` with values 0..255.
    """
    table = gdal.ColorTable()
    names = [""] * 256
    top = 0
    for value, name, color in classes:
        value = int(value)
        if not 0 <= value <= 255:
            continue
        r, g, b = (int(c) for c in tuple(color)[:3])
        table.SetColorEntry(value, (r, g, b, 255))
        names[value] = str(name)
        top = max(top, value)
    band.SetRasterColorTable(table)
    band.SetRasterColorInterpretation(gdal.GCI_PaletteIndex)
    band.SetCategoryNames(names[: top + 1])
    # inside the file too: a writable GTiff keeps band metadata in its own tags
    band.SetMetadataItem(CLASS_NAMES_ITEM, json.dumps(names[: top + 1], ensure_ascii=False))


# ---------------------------------------------------------------- grids
def bounds(ds):
    """(xmin, ymin, xmax, ymax) of a north-up raster."""
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    x1, y1 = x0 + dx * ds.RasterXSize, y0 + dy * ds.RasterYSize
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def same_grid(a, b, tolerance=1e-6):
    """True when two rasters share size, geotransform and CRS."""
    if (a.RasterXSize, a.RasterYSize) != (b.RasterXSize, b.RasterYSize):
        return False
    ga, gb = a.GetGeoTransform(), b.GetGeoTransform()
    scale = max(abs(ga[1]), abs(ga[5]), 1e-12)
    if any(abs(p - q) > tolerance * max(scale, 1.0) for p, q in zip(ga, gb)):
        return False
    return same_crs(a.GetProjection(), b.GetProjection())


def same_crs(wkt_a, wkt_b):
    """True when two WKT strings describe the same CRS (or both are empty)."""
    if not wkt_a or not wkt_b:
        return not wkt_a and not wkt_b
    a, b = srs_from_wkt(wkt_a), srs_from_wkt(wkt_b)
    if a is None or b is None:
        return wkt_a == wkt_b
    return bool(a.IsSame(b))


def srs_from_wkt(wkt):
    """An osr.SpatialReference of ``wkt``, or None when OSR cannot read it."""
    srs = osr.SpatialReference()
    return srs if gdal_ok(srs.ImportFromWkt, wkt) else None


def warp_to_grid(src, ref, role="raster", resample="near", nodata=None):
    """A lazily warped (VRT) view of ``src`` on ``ref``'s grid and CRS.

    Raises InputError naming ``role`` when the two do not overlap. Pixels of
    ``ref``'s grid that ``src`` does not cover read as ``nodata`` (the
    source's nodata when None, else 0 with no nodata set).
    """
    src_ds = src if isinstance(src, gdal.Dataset) else open_raster(src, role=role)
    if same_grid(src_ds, ref):
        return src_ds
    ref_wkt = ref.GetProjection()
    src_wkt = src_ds.GetProjection() or ref_wkt
    xmin, ymin, xmax, ymax = bounds(ref)
    if not _overlaps(src_ds, src_wkt, ref_wkt, (xmin, ymin, xmax, ymax)):
        raise InputError(
            "The {role} {source} does not overlap the reference grid ({xmin:.3f}, "
            "{ymin:.3f}, {xmax:.3f}, {ymax:.3f}).",
            role=role, source=src_ds.GetDescription(), xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax
        )
    src_nodata = src_ds.GetRasterBand(1).GetNoDataValue()
    dst_nodata = nodata if nodata is not None else src_nodata
    options = gdal.WarpOptions(
        format="VRT",
        outputBounds=(xmin, ymin, xmax, ymax),
        width=ref.RasterXSize,
        height=ref.RasterYSize,
        srcSRS=src_wkt or None,
        dstSRS=ref_wkt or None,
        resampleAlg=resample,
        dstNodata=dst_nodata,
        multithread=False,
    )
    warped = gdal_call(gdal.Warp, "", src_ds, options=options)
    if warped is None:
        raise InputError("Cannot align the {role} {source} to the grid: {last_error}.",
                         role=role, source=src_ds.GetDescription(),
                         last_error=last_error("warp failed"))
    return warped


def _overlaps(src_ds, src_wkt, ref_wkt, ref_bounds):
    sxmin, symin, sxmax, symax = bounds(src_ds)
    if src_wkt and ref_wkt and not same_crs(src_wkt, ref_wkt):
        s, r = srs_from_wkt(src_wkt), srs_from_wkt(ref_wkt)
        if s is None or r is None:
            return True  # gdal.Warp then reports the unreadable CRS, naming the file
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        r.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        ct = gdal_call(osr.CoordinateTransformation, s, r)
        if ct is None:
            return True  # as above: left to gdal.Warp's message
        xs, ys = [], []
        for fx in np.linspace(0, 1, 5):
            for fy in np.linspace(0, 1, 5):
                x = sxmin + (sxmax - sxmin) * fx
                y = symin + (symax - symin) * fy
                point = gdal_call(ct.TransformPoint, x, y)
                if point is None:
                    continue
                px, py = point[0], point[1]
                if math.isfinite(px) and math.isfinite(py):
                    xs.append(px)
                    ys.append(py)
        if not xs:
            return False
        sxmin, symin, sxmax, symax = min(xs), min(ys), max(xs), max(ys)
    xmin, ymin, xmax, ymax = ref_bounds
    return sxmin < xmax and sxmax > xmin and symin < ymax and symax > ymin
