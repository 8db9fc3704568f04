"""Outputs that appear only when complete.

Every file the engine writes is first written under a hidden *partial* name
beside its final path (same extension, so drivers and Keras accept it) and
renamed into place once complete. A failed or cancelled run removes its
partial files, and a parent process that kills a worker can remove them too,
since the partial name is a pure function of the final one.
"""

import contextlib
import glob
import os

from .errors import InputError

# Sidecars GDAL writes next to a raster (name.tif.aux.xml ...); QGIS's style
# sidecar drops the extension (name.tif -> name.qml); a Shapefile is several
# files that share its stem.
_SIDECARS = (".aux.xml", ".ovr", ".msk")
_SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qix")


def partial_path(path):
    """The hidden name ``path`` is written under until it is complete."""
    folder, name = os.path.split(os.path.abspath(path))
    stem, ext = os.path.splitext(name)
    return os.path.join(folder, f".{stem}.partial{ext}")


def _with_sidecars(path):
    stem, ext = os.path.splitext(path)
    files = [path] + [path + s for s in _SIDECARS] + [stem + ".qml"]
    if ext.lower() == ".shp":
        files += [stem + part for part in _SHAPEFILE_PARTS]
    return files


def finish(path):
    """Move the complete partial file (and its sidecars) onto ``path``."""
    path = os.path.abspath(path)
    partial = partial_path(path)
    for src, dst in zip(_with_sidecars(partial), _with_sidecars(path)):
        if os.path.exists(src):
            os.replace(src, dst)
        elif os.path.exists(dst) and dst != path:
            os.remove(dst)  # a stale sidecar from an earlier result


def discard(path):
    """Remove the partial file of ``path`` and its sidecars, if any."""
    for p in _with_sidecars(partial_path(path)):
        if os.path.exists(p):
            os.remove(p)


@contextlib.contextmanager
def writing(path):
    """Write ``path`` through its partial file: yields the partial path, moves
    it into place when the block ends, removes it if the block raises
    (cancel included). Close files written in the block before it ends."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise InputError("Cannot create the folder {folder} for {path}: {error}.",
                         folder=folder, path=path, error=exc.strerror or exc) from None
    try:
        yield partial_path(path)
    except BaseException:
        discard(path)
        raise
    finish(path)


def discard_all(paths):
    """discard() each of ``paths`` (None entries skipped)."""
    for p in paths:
        if p:
            discard(p)


def stale_partials(folder):
    """Partial files left in ``folder`` (for tests and cleanup)."""
    return sorted(glob.glob(os.path.join(folder, ".*.partial*")))


def check_writable(path, folder=False):
    """InputError when ``path`` cannot be written: a file (or, with ``folder``,
    a folder) there would need a file where a folder is, or a folder that is
    not writable. Creates nothing; run it before any work, so that a bad
    output path fails at once and leaves nothing behind."""
    path = os.path.abspath(os.fspath(path))
    if folder and os.path.exists(path) and not os.path.isdir(path):
        raise InputError("Cannot write the folder {path}: a file has that name.",
                         path=path)
    if not folder and os.path.isdir(path):
        raise InputError("Cannot write {path}: it is a folder.",
                         path=path)
    existing = path if folder else os.path.dirname(path)
    while not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise InputError("Cannot write {path}: {blocker} is a file, not a folder.",
                         path=path, blocker=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError("Cannot write {path}: the folder {blocker} is not writable.",
                         path=path, blocker=existing)
