"""Raster sources at a chosen ground resolution: files, VRTs and web layers, through GDAL.

A source is whatever ``gdal.Open`` takes: a file, a VRT, or a GDAL WMS
service description (XML text) for an XYZ tile template or an OGC WMS; the
plugin builds those from a QGIS layer's URI with :func:`xyz_xml` and
:func:`wms_xml`.

The scene's grid is the grid. A raster with pixels of its own, read at its
own resolution (:func:`own_grid`), stays on its grid: an extent selects the
window of whole pixels under it, counted from the raster's origin
(:func:`pixel_window`); no warp, no resampling. At another resolution the
target grid is anchored at the raster's top-left corner (corner + k x
resolution), so outputs at one resolution nest whatever the extent. Only web
layers, which have no grid, use multiples of the resolution counted from 0
(:func:`snap_bounds`). :func:`warped_path` and :func:`open_at` give that grid
as a small VRT (a pixel window, or a warp read window by window that fetches
only the tiles or GetMap images under each window, at the zoom level GDAL
picks for the resolution). Nothing copies a scene.

Web sources have no natural size: they need a resolution and an extent
(:func:`needs_grid`). GDAL asks the servers itself, with its own HTTP client
(libcurl) and timeouts.

No QGIS here, no TensorFlow: Tile Dataset uses this inside QGIS's process,
Predict Raster in the worker.
"""

import math
import os
from xml.sax.saxutils import escape  # nosec B406 - escaping text we write, no parsing

from osgeo import gdal

from . import raster
from ..errors import InputError

# EPSG:3857's square world, the GoogleMapsCompatible tile matrix set's extent.
WEB_MERCATOR_HALF = 20037508.342789244
WEB_PREFIXES = ("<GDAL_WMS", "WMS:", "WMTS:", "WCS:", "<WCS_GDAL", "<GDAL_WMTS")
# Relative change of pixel size under which a source is read at its own grid.
SAME_RESOLUTION = 1e-6


def is_web(source):
    """True when ``source`` is a GDAL web-service description (a file on a web
    server, ``/vsicurl/...``, has a size of its own and is not)."""
    return str(source or "").lstrip().startswith(WEB_PREFIXES)


def needs_grid(source):
    """True when ``source`` has no natural pixel grid (web services): it needs a
    resolution and an extent to be read."""
    return is_web(source)


def xyz_xml(url, zmin=0, zmax=19, bands=3, tile_size=256, timeout=60):
    """A GDAL WMS (TMS minidriver) description of an XYZ tile template.

    ``url`` is QGIS's template (``{x}``, ``{y}``, ``{z}``; ``{-y}`` counts rows
    from the bottom, as TMS does) on the GoogleMapsCompatible grid of
    EPSG:3857. Zoom ``zmax`` is full resolution; GDAL's overviews are the
    zoom levels down to ``zmin``. Missing tiles (HTTP 204 or 404) read as
    zeros. ``bands``: 3 reads RGB (an alpha band is dropped), 4 keeps alpha.
    """
    if "{q}" in url or "{quadkey}" in url:
        raise InputError("The tile URL {url} uses quadkeys, which GDAL's tile reader does "
                         "not take.", url=url)
    bottom = "{-y}" in url
    template = (url.replace("{-y}", "${y}").replace("{z}", "${z}").replace("{x}", "${x}")
                .replace("{y}", "${y}"))
    zmin, zmax = int(zmin), int(zmax)
    if not 0 <= zmin <= zmax <= 30:
        raise InputError("The tile layer's zoom levels {zmin}..{zmax} are not valid.",
                         zmin=zmin, zmax=zmax)
    h = f"{WEB_MERCATOR_HALF:.9f}"
    return (
        "<GDAL_WMS>"
        f'<Service name="TMS"><ServerUrl>{escape(template)}</ServerUrl></Service>'
        f"<DataWindow><UpperLeftX>-{h}</UpperLeftX><UpperLeftY>{h}</UpperLeftY>"
        f"<LowerRightX>{h}</LowerRightX><LowerRightY>-{h}</LowerRightY>"
        f"<TileLevel>{zmax}</TileLevel><TileCountX>1</TileCountX><TileCountY>1</TileCountY>"
        f"<YOrigin>{'bottom' if bottom else 'top'}</YOrigin></DataWindow>"
        "<Projection>EPSG:3857</Projection>"
        f"<BlockSizeX>{int(tile_size)}</BlockSizeX><BlockSizeY>{int(tile_size)}</BlockSizeY>"
        f"<BandsCount>{int(bands)}</BandsCount><OverviewCount>{zmax - zmin}</OverviewCount>"
        "<ZeroBlockHttpCodes>204,404</ZeroBlockHttpCodes>"
        f"<Timeout>{int(timeout)}</Timeout>"
        "</GDAL_WMS>")


def wms_xml(url, layers, crs, bounds, resolution, styles="", image_format="image/png",
            version="1.3.0", bands=3, timeout=60):
    """A GDAL WMS (WMS minidriver) description of an OGC WMS layer, on a grid of
    ``resolution`` over ``bounds`` (xmin, ymin, xmax, ymax in ``crs``)."""
    xmin, ymin, xmax, ymax = snap_bounds(bounds, resolution)
    width, height = _size((xmin, ymin, xmax, ymax), resolution)
    sep = "&" if "?" in url else "?"
    return (
        "<GDAL_WMS>"
        f'<Service name="WMS"><Version>{escape(version)}</Version>'
        f"<ServerUrl>{escape(url + sep)}</ServerUrl>"
        f"<CRS>{escape(crs)}</CRS><ImageFormat>{escape(image_format)}</ImageFormat>"
        f"<Layers>{escape(layers)}</Layers><Styles>{escape(styles)}</Styles>"
        "<Transparent>FALSE</Transparent></Service>"
        f"<DataWindow><UpperLeftX>{xmin!r}</UpperLeftX><UpperLeftY>{ymax!r}</UpperLeftY>"
        f"<LowerRightX>{xmax!r}</LowerRightX><LowerRightY>{ymin!r}</LowerRightY>"
        f"<SizeX>{width}</SizeX><SizeY>{height}</SizeY></DataWindow>"
        f"<Projection>{escape(crs)}</Projection>"
        "<BlockSizeX>512</BlockSizeX><BlockSizeY>512</BlockSizeY>"
        f"<BandsCount>{int(bands)}</BandsCount>"
        "<ZeroBlockHttpCodes>204,404</ZeroBlockHttpCodes>"
        f"<Timeout>{int(timeout)}</Timeout>"
        "</GDAL_WMS>")


def snap_bounds(bounds, resolution, origin=None):
    """``bounds`` (xmin, ymin, xmax, ymax) grown outward to whole pixels of
    ``resolution`` counted from ``origin`` (the x of a grid's left edge and the
    y of its top edge). Without ``origin``, multiples of ``resolution`` from 0
    (as ``gdalwarp -tap`` does): the grid of web layers, which have none of
    their own, so every reader of a layer at that resolution shares it."""
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        res = float(resolution)
    except (TypeError, ValueError):
        raise InputError("The extent {extent} must be xmin, ymin, xmax, ymax.",
                         extent=repr(bounds)) from None
    if not (xmax > xmin and ymax > ymin):
        raise InputError("The extent {extent} is empty (xmax <= xmin or ymax <= ymin).",
                         extent=[xmin, ymin, xmax, ymax])
    if not res > 0:
        raise InputError("The resolution must be positive, not {resolution}.",
                         resolution=resolution)
    eps = 1e-9
    if origin is None:
        return (math.floor(xmin / res + eps) * res, math.floor(ymin / res + eps) * res,
                math.ceil(xmax / res - eps) * res, math.ceil(ymax / res - eps) * res)
    x0, y0 = float(origin[0]), float(origin[1])
    return (x0 + math.floor((xmin - x0) / res + eps) * res,
            y0 - math.ceil((y0 - ymin) / res - eps) * res,
            x0 + math.ceil((xmax - x0) / res - eps) * res,
            y0 - math.floor((y0 - ymax) / res + eps) * res)


def _size(bounds, resolution):
    xmin, ymin, xmax, ymax = bounds
    return (max(1, int(round((xmax - xmin) / resolution))),
            max(1, int(round((ymax - ymin) / resolution))))


def crs_units(wkt):
    """The name of the CRS's linear (or, geographic, angular) unit: "metre",
    "degree", "US survey foot"...; "" when the CRS is unknown."""
    if not wkt:
        return ""
    srs = raster.srs_from_wkt(wkt)
    if srs is None:
        return ""
    if srs.IsGeographic():
        return (srs.GetAngularUnitsName() or "degree").lower()
    return (srs.GetLinearUnitsName() or "").lower()


def ground_resolution(ds):
    """``[xres, yres]`` of a north-up raster in map units per pixel (positive)."""
    gt = ds.GetGeoTransform()
    return [abs(float(gt[1])), abs(float(gt[5]))]


def own_grid(ds, resolution=None):
    """True when the raster ``ds`` is read on its own pixel grid at
    ``resolution``: None or 0, or its own pixel size on both axes (within
    :data:`SAME_RESOLUTION`). A rotated raster is read as it is only at its
    own resolution given as None or 0."""
    resolution = float(resolution or 0.0)
    if not resolution:
        return True
    gt = ds.GetGeoTransform(can_return_null=True)
    if gt is None or gt[2] or gt[4]:
        return False
    return all(abs(resolution - r) <= SAME_RESOLUTION * r for r in ground_resolution(ds))


def pixel_window(ds, extent, path):
    """The pixels of the raster ``ds`` under ``extent`` (xmin, ymin, xmax, ymax in
    its CRS; None: all of them) as a :class:`~.raster.Window`: the extent grown
    outward to whole pixels of the raster, counted from its origin, and clipped
    to it. No resampling: the window is on the raster's own grid."""
    width, height = ds.RasterXSize, ds.RasterYSize
    if not extent:
        return raster.Window(0, 0, width, height)
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise InputError("EXTENT must be [xmin, ymin, xmax, ymax], not {extent}.",
                         extent=repr(extent)) from None
    if not (xmax > xmin and ymax > ymin):
        raise InputError("EXTENT {extent} is empty (xmax <= xmin or ymax <= ymin).",
                         extent=extent)
    x0, dx, rx, y0, ry, dy = ds.GetGeoTransform()
    if rx or ry:
        raise InputError("EXTENT needs a north-up raster; {path} is rotated.",
                         path=path)
    eps = 1e-6
    cols = sorted(((xmin - x0) / dx, (xmax - x0) / dx))
    rows = sorted(((ymax - y0) / dy, (ymin - y0) / dy))
    c0, c1 = math.floor(cols[0] + eps), math.ceil(cols[1] - eps)
    r0, r1 = math.floor(rows[0] + eps), math.ceil(rows[1] - eps)
    c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, width), min(r1, height)
    if c1 <= c0 or r1 <= r0:
        b = raster.bounds(ds)
        raise InputError(
            "EXTENT {extent} lies outside the raster {path} ({b_0:.3f}, {b_1:.3f}, "
            "{b_2:.3f}, {b_3:.3f}).",
            extent=list(extent), path=path, b_0=b[0], b_1=b[1], b_2=b[2], b_3=b[3])
    return raster.Window(c0, r0, c1 - c0, r1 - r0)


def warped_path(source, folder, resolution=None, extent=None, role="raster",
                resample="bilinear"):
    """A path GDAL opens for ``source`` on the chosen grid (see :func:`open_at`):
    ``source`` itself, or a VRT written into ``folder`` (a pixel window of the
    source, or a warp). Each thread that reads it opens it on its own."""
    plan = _plan(source, resolution, extent, role)
    if plan is None:
        return source
    path = os.path.join(folder, "source.vrt")
    _read_plan(path, plan, resample, role, source)
    return path


def open_at(source, resolution=None, extent=None, role="raster", resample="bilinear"):
    """``source`` opened on the grid of ``resolution`` x ``extent``.

    ``resolution`` (map units per pixel; None or 0: the source's own) and
    ``extent`` (xmin, ymin, xmax, ymax in the source's CRS; None: all of it)
    choose the grid:

    - a raster at its own resolution is read on its own grid: ``extent``
      selects the window of whole pixels under it (:func:`pixel_window`),
      a VRT that copies pixels, no resampling;
    - a raster at another resolution is warped (``resample``) onto the grid
      of that resolution anchored at the raster's own top-left corner
      (corner + k x resolution), over ``extent`` snapped outward to it, so
      grids at one resolution nest whatever the extent;
    - a web source, which has no grid of its own, is warped onto the grid of
      multiples of ``resolution`` (:func:`snap_bounds`) over ``extent``; it
      needs both: InputError naming RESOLUTION and EXTENT otherwise.

    Without either, the source is opened as it is. Read on demand.
    """
    plan = _plan(source, resolution, extent, role)
    if plan is None:
        return raster.open_raster(source, role=role)
    return _read_plan("", plan, resample, role, source)


def _plan(source, resolution, extent, role):
    """``(opened source, window or None, bounds, resolution)``: a pixel window of
    the source (``window``) or a warp onto ``bounds`` at ``resolution``; None to
    read the source as it is."""
    resolution = float(resolution or 0.0)
    if needs_grid(source) and not (resolution > 0 and extent):
        raise InputError("The {role} {source} is a web layer with no pixel size of its own: "
                         "give a RESOLUTION (map units per pixel) and an EXTENT.",
                         role=role, source=_short(source))
    if resolution < 0:
        raise InputError("The resolution must be positive, not {resolution}.",
                         resolution=resolution)
    if not resolution and not extent:
        return None
    src = raster.open_raster(source, role=role)
    gt = src.GetGeoTransform(can_return_null=True)
    if gt is None:
        raise InputError("The {role} {source} has no georeference: it cannot be read at a "
                         "resolution or extent.", role=role, source=_short(source))
    if is_web(source):
        bounds = snap_bounds(extent, resolution)
        _check_inside(bounds, raster.bounds(src), role, source)
        return src, None, bounds, resolution
    if not (gt[2] or gt[4]) and own_grid(src, resolution):
        if not extent:
            return None
        return src, pixel_window(src, extent, _short(source)), None, None
    resolution = resolution or ground_resolution(src)[0]
    whole = raster.bounds(src)
    origin = (whole[0], whole[3])
    whole = snap_bounds(whole, resolution, origin)
    if not extent:
        return src, None, whole, resolution
    bounds = snap_bounds(extent, resolution, origin)
    _check_inside(bounds, whole, role, source)
    bounds = (max(bounds[0], whole[0]), max(bounds[1], whole[1]),
              min(bounds[2], whole[2]), min(bounds[3], whole[3]))
    return src, None, bounds, resolution


def _check_inside(bounds, source_bounds, role, source):
    if not _intersects(bounds, source_bounds):
        raise InputError("The extent ({e_0:.3f}, {e_1:.3f}, {e_2:.3f}, {e_3:.3f}) lies "
                         "outside the {role} {source}.",
                         e_0=bounds[0], e_1=bounds[1], e_2=bounds[2], e_3=bounds[3],
                         role=role, source=_short(source))


def _read_plan(path, plan, resample, role, source):
    """The plan's VRT: written to ``path``, or in memory (``path`` "") and returned."""
    src, window, bounds, resolution = plan
    if window is not None:
        ds = raster.gdal_call(gdal.Translate, path, src, format="VRT",
                              srcWin=[window.x, window.y, window.width, window.height])
        if ds is None:
            raise InputError("Cannot read the window {window} of the {role} {source}: "
                             "{last_error}.", window=list(window), role=role,
                             source=_short(source),
                             last_error=raster.last_error("translate failed"))
    else:
        options = gdal.WarpOptions(format="VRT", xRes=resolution, yRes=resolution,
                                   outputBounds=bounds, resampleAlg=resample,
                                   multithread=False)
        ds = raster.gdal_call(gdal.Warp, path, src, options=options)
        if ds is None:
            raise InputError("Cannot read the {role} {source} at {resolution} map units per "
                             "pixel: {last_error}.",
                             role=role, source=_short(source), resolution=resolution,
                             last_error=raster.last_error("warp failed"))
    if path:
        ds.FlushCache()
        ds = None
    return ds


def _intersects(a, b):
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _short(source):
    """A source for messages: a path, or the server URL of a service description."""
    text = str(source)
    if text.lstrip().startswith("<"):
        start = text.find("<ServerUrl>")
        if start >= 0:
            end = text.find("</ServerUrl>", start)
            return text[start + len("<ServerUrl>"):end].replace("&amp;", "&")
        return text[:60] + "..."
    return text


def describe(source):
    """What dataset.json and messages record for ``source`` (the URL of a web layer)."""
    return _short(source)
