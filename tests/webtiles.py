"""A real XYZ tile server on 127.0.0.1 for tests: gdal2tiles cuts a small scene
into PNG tiles, the standard library's http.server serves them from a thread.

Stdlib only (plus GDAL's gdal2tiles), so it runs in QGIS's own Python.
"""

import contextlib
import functools
import http.server
import shutil
import subprocess  # nosec B404 - gdal2tiles with a list argv
import sys
import threading

import numpy as np
from osgeo import gdal, osr

# A small Web Mercator scene at 10 m (zoom 14 is 9.55 m a pixel): 256 x 256 pixels.
MERCATOR_ORIGIN = (1000000.0, 6000000.0)
PIXEL = 10.0
ZOOMS = "12-14"
ZMIN, ZMAX = 12, 14


def gdal2tiles():
    """The gdal2tiles.py script (Debian's gdal-bin), or None."""
    return shutil.which("gdal2tiles.py") or shutil.which("gdal2tiles")


def mercator_scene(folder, size=256, classes=3, seed=0):
    """``(image.tif, label.tif)``: an 8-bit RGB scene in EPSG:3857 whose classes
    (squares of 64 pixels) show in its colours, and its label raster."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    label = ((xx // 64 + yy // 64) % classes).astype(np.uint8)
    image = rng.normal(0, 8, (size, size, 3)) + 90
    for c in range(classes):
        image[label == c, c] += 100
    image = np.clip(image, 0, 255).astype(np.uint8)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    paths = []
    for name, array in (("image.tif", image), ("label.tif", label[..., None])):
        path = str(folder / name)
        ds = gdal.GetDriverByName("GTiff").Create(path, size, size, array.shape[-1],
                                                  gdal.GDT_Byte)
        ds.SetGeoTransform((MERCATOR_ORIGIN[0], PIXEL, 0, MERCATOR_ORIGIN[1], 0, -PIXEL))
        ds.SetProjection(srs.ExportToWkt())
        for i in range(array.shape[-1]):
            ds.GetRasterBand(i + 1).WriteArray(array[..., i])
        ds = None
        paths.append(path)
    return paths[0], paths[1]


def scene_bounds(size=256):
    x0, y0 = MERCATOR_ORIGIN
    return (x0, y0 - size * PIXEL, x0 + size * PIXEL, y0)


def make_tiles(image, folder, zooms=ZOOMS):
    """Cut ``image`` into XYZ PNG tiles under ``folder`` with gdal2tiles."""
    script = gdal2tiles()
    run = subprocess.run([sys.executable, script, "--xyz", "-q", "-z", zooms,  # nosec B603
                          "--processes=1", str(image), str(folder)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return str(folder)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests = None

    def log_message(self, *args):  # keep the test output clean
        if self.requests is not None:
            self.requests.append(self.path)


@contextlib.contextmanager
def tile_server(folder):
    """Serve ``folder`` on 127.0.0.1 (a free port) for the ``with`` block; yields
    ``(base_url, requests)`` where ``requests`` lists the paths asked for."""
    requests = []
    handler = functools.partial(type("Handler", (_QuietHandler,), {"requests": requests}),
                                directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True, name="test-tile-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def served_scene(folder):
    """The test scene cut into XYZ tiles and served for the ``with`` block; yields
    ``(base_url, requests, image.tif, label.tif)``. Skips the test where
    gdal2tiles.py is missing."""
    if gdal2tiles() is None:
        import pytest

        pytest.skip("gdal2tiles.py is not installed")
    image, label = mercator_scene(folder)
    with tile_server(make_tiles(image, folder / "tiles")) as (url, requests):
        yield url, requests, image, label


def xyz_layer_string(base_url, zmin=ZMIN, zmax=ZMAX):
    """QGIS's URI of an XYZ layer over the server's tiles (provider wms)."""
    return f"type=xyz&url={base_url}/{{z}}/{{x}}/{{y}}.png&zmax={zmax}&zmin={zmin}"
