"""Raster sources at a chosen ground resolution: files, VRTs and web layers, through GDAL.

A source is whatever ``gdal.Open`` takes: a file, a VRT, or a GDAL WMS
service description (XML text) for an XYZ tile template or an OGC WMS; the
plugin builds those from a QGIS layer's URI with :func:`xyz_xml` and
:func:`wms_xml`. :func:`warped_path` writes a small warped VRT of a source on
a grid of ``resolution`` map units per pixel over ``extent`` (snapped outward
to whole pixels of that resolution, :func:`snap_bounds`); reading it window by
window fetches only the tiles (or GetMap images) under each window, at the
zoom level (overview) GDAL picks for that resolution. Nothing copies a scene.

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


def snap_bounds(bounds, resolution):
    """``bounds`` (xmin, ymin, xmax, ymax) grown outward to multiples of
    ``resolution``, so every reader of a layer at that resolution shares one
    pixel grid (as ``gdalwarp -tap`` does)."""
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
    return (math.floor(xmin / res + eps) * res, math.floor(ymin / res + eps) * res,
            math.ceil(xmax / res - eps) * res, math.ceil(ymax / res - eps) * res)


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


def warped_path(source, folder, resolution=None, extent=None, role="raster",
                resample="bilinear"):
    """A path GDAL opens for ``source`` on the chosen grid (see :func:`open_at`):
    ``source`` itself, or a warped VRT written into ``folder``. Each thread that
    reads it opens it on its own."""
    plan = _plan(source, resolution, extent, role)
    if plan is None:
        return source
    path = os.path.join(folder, "source.vrt")
    _warp(path, plan, resample, role, source)
    return path


def open_at(source, resolution=None, extent=None, role="raster", resample="bilinear"):
    """``source`` opened on the grid of ``resolution`` x ``extent``.

    ``resolution`` (map units per pixel; None or 0: the source's own) and
    ``extent`` (xmin, ymin, xmax, ymax in the source's CRS; None: all of it)
    choose the grid: a warped VRT (in memory) over the snapped extent, read on
    demand. Without either, the source is opened as it is. Web sources need
    both: InputError naming RESOLUTION and EXTENT otherwise.
    """
    plan = _plan(source, resolution, extent, role)
    if plan is None:
        return raster.open_raster(source, role=role)
    return _warp("", plan, resample, role, source)


def _plan(source, resolution, extent, role):
    """``(opened source, bounds, resolution)`` of the warp, None to read as is."""
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
    native = ground_resolution(src)
    resolution = resolution or native[0]
    if extent:
        bounds = snap_bounds(extent, resolution)
        if not _intersects(bounds, raster.bounds(src)):
            raise InputError("The extent ({e_0:.3f}, {e_1:.3f}, {e_2:.3f}, {e_3:.3f}) lies "
                             "outside the {role} {source}.",
                             e_0=bounds[0], e_1=bounds[1], e_2=bounds[2], e_3=bounds[3],
                             role=role, source=_short(source))
        return src, bounds, resolution
    same = all(abs(resolution - r) <= SAME_RESOLUTION * r for r in native)
    if same and not (gt[2] or gt[4]):
        return None
    return src, snap_bounds(raster.bounds(src), resolution), resolution


def _warp(path, plan, resample, role, source):
    src, bounds, resolution = plan
    options = gdal.WarpOptions(format="VRT", xRes=resolution, yRes=resolution,
                               outputBounds=bounds, resampleAlg=resample, multithread=False)
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
