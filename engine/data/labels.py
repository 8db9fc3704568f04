"""Colour <-> index label rasters (the Color to Index algorithm).

A :class:`ColorMap` pairs class values (0..254) with names and RGB colours.
Value 255 is reserved as the *ignore* value: colours listed in a map's
``ignore_colors`` (PASCAL VOC's object-border colour, for instance) and, with
``unknown="ignore"``, colours not in the map become 255.

Colour maps come from the JSON presets shipped in ``resources/colormaps``
(:func:`load_preset`) or from a file (:func:`load_color_map_file`): our JSON
schema, a QGIS colour-map export (``value,r,g,b,alpha,label`` lines), or a
single-band raster with a GDAL colour table.

``color_to_index`` turns an RGB(A) or paletted label raster into a Byte index
raster with a colour table and category names; ``index_to_color`` goes back.
Both stream by blocks and write through :mod:`.outputs` (nothing appears at
the output path unless the run succeeds).

Nodata: 255 is the ignore value, not nodata. The index raster gets nodata 255
only when the input had a nodata value (input nodata pixels become 255).
"""

import os
from dataclasses import dataclass, field

import numpy as np

from .. import jsonable, options, outputs
from .. import progress as progress_mod
from . import raster
from ..errors import InputError

# The label value (and, after training maps labels to indices, the index)
# that training and evaluation ignore: unlabelled, unknown or outside pixels.
IGNORE = 255
COLORMAP_FOLDER = options.COLORMAP_FOLDER
_MAX_LISTED = 5  # unknown colours named in an error message
_MAX_TRACKED = 100000  # distinct unknown colours counted before we stop tracking new ones


@dataclass
class ColorMap:
    """Class values with their names and RGB colours (aligned lists)."""

    values: list
    names: list
    colors: list
    name: str = "custom"
    description: str = ""
    ignore_colors: list = field(default_factory=list)

    def __post_init__(self):
        self.values = [int(v) for v in self.values]
        self.names = [str(n) for n in self.names]
        self.colors = [tuple(int(c) for c in rgb) for rgb in self.colors]
        self.ignore_colors = [tuple(int(c) for c in rgb) for rgb in self.ignore_colors]

    def classes(self):
        """``(value, name, (r, g, b))`` for each class (as ``raster.set_class_table`` wants)."""
        return list(zip(self.values, self.names, self.colors))

    def to_json(self):
        """The map as a dict in the JSON preset schema."""
        d = {"name": self.name, "description": self.description,
             "classes": [{"value": v, "name": n, "color": list(c)} for v, n, c in self.classes()]}
        if self.ignore_colors:
            d["ignore_colors"] = [list(c) for c in self.ignore_colors]
        return d

    def validate(self, source=None):
        """Raise InputError (naming ``source``) if the map cannot be used."""
        where = f"The colour map {source or self.name}"
        if not self.values:
            raise InputError("{where} has no classes.",
                             where=where)
        if not len(self.values) == len(self.names) == len(self.colors):
            raise InputError("{where}: values, names and colours differ in length.",
                             where=where)
        seen_v, seen_c = {}, {}
        for v, n, c in self.classes():
            if not 0 <= v <= 254:
                raise InputError("{where}: class value {v} ({n}) is outside 0..254 (255 "
                                 "is reserved for 'ignore').",
                                 where=where, v=v, n=repr(n))
            if len(c) != 3 or any(not 0 <= x <= 255 for x in c):
                raise InputError("{where}: colour {c} of class {v} is not three numbers "
                                 "0..255.",
                                 where=where, c=c, v=v)
            if v in seen_v:
                raise InputError("{where}: class value {v} appears twice ({seen_v} and "
                                 "{n}).",
                                 where=where, v=v, seen_v=repr(seen_v[v]), n=repr(n))
            if c in seen_c:
                raise InputError("{where}: colour {c} is used by both class {seen_c} and "
                                 "class {v}.",
                                 where=where, c=c, seen_c=seen_c[c], v=v)
            seen_v[v], seen_c[c] = n, v
        for c in self.ignore_colors:
            if len(c) != 3 or any(not 0 <= x <= 255 for x in c):
                raise InputError("{where}: ignore colour {c} is not three numbers 0..255.",
                                 where=where, c=c)
            if c in seen_c:
                raise InputError("{where}: colour {c} is both class {seen_c} and "
                                 "'ignore'.",
                                 where=where, c=c, seen_c=seen_c[c])
        return self


# ---------------------------------------------------------------- loading
def preset_names():
    """Names of the shipped presets (the JSON file stems in resources/colormaps)."""
    return options.names("color_map")


def __getattr__(name):  # PRESETS is read from the folder when asked for, not at import
    if name == "PRESETS":
        return preset_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_preset(name):
    """The shipped colour map ``name`` (a file stem such as ``voc``, or its ``name`` field)."""
    names = preset_names()
    if name in names:
        return _load_json(os.path.join(COLORMAP_FOLDER, name + ".json"))
    for stem in names:
        cmap = _load_json(os.path.join(COLORMAP_FOLDER, stem + ".json"))
        if cmap.name == name:
            return cmap
    raise InputError("Unknown colour-map preset {name}; known: {names}.",
                     name=repr(name), names=", ".join(names))


def load_color_map_file(path):
    """A colour map from ``path``: our JSON, a QGIS colour-map export, or a
    single-band raster with a colour table (its entries, names from its
    category names where set)."""
    path = str(path)
    if not os.path.isfile(path):
        raise InputError("The colour-map file {path} does not exist.",
                         path=path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".json":
        return _load_json(path)
    if ext in (".txt", ".clr", ".csv", ".qml") or _looks_like_text(path):
        return _load_qgis_export(path)
    return _load_raster_table(path)


def _looks_like_text(path):
    with open(path, "rb") as f:
        head = f.read(2048)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in head


def _load_json(path):
    data = jsonable.read_file(path, "The colour-map file {path} is not valid JSON: {error}.")
    if not isinstance(data, dict) or not isinstance(data.get("classes"), list):
        raise InputError("The colour-map file {path} has no 'classes' list.",
                         path=path)
    values, names, colors = [], [], []
    for i, entry in enumerate(data["classes"]):
        try:
            value = _as_int(entry["value"])
            color = [_as_int(c) for c in entry["color"]]
            name = str(entry.get("name", f"class {value}"))
        except (KeyError, TypeError, ValueError):
            raise InputError("The colour-map file {path}: class entry {i} ({entry}) "
                             "needs an integer 'value' and a 'color' [r, g, b].",
                             path=path, i=i + 1, entry=repr(entry)) from None
        if len(color) not in (3, 4):
            raise InputError("The colour-map file {path}: class {value} colour {color} "
                             "is not [r, g, b].",
                             path=path, value=value, color=color)
        values.append(value)
        names.append(name)
        colors.append(color[:3])
    try:
        ignore = [[_as_int(c) for c in rgb][:3] for rgb in data.get("ignore_colors", [])]
    except (TypeError, ValueError):
        raise InputError("The colour-map file {path}: 'ignore_colors' must be a list of "
                         "[r, g, b].",
                         path=path) from None
    name = str(data.get("name") or os.path.splitext(os.path.basename(path))[0])
    cmap = ColorMap(values, names, colors, name=name,
                    description=str(data.get("description", "")), ignore_colors=ignore)
    return cmap.validate(path)


def _as_int(x):
    if isinstance(x, bool):
        raise ValueError(x)
    if isinstance(x, float):
        if not x.is_integer():
            raise ValueError(x)
        return int(x)
    if isinstance(x, int):
        return x
    return int(str(x).strip())


def _load_qgis_export(path):
    """QGIS 'Export colour map to file': ``# comment``, ``INTERPOLATION:...`` and
    ``value,r,g,b,alpha,label`` lines."""
    values, names, colors = [], [], []
    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = f.readlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("Cannot read the colour-map file {path}: {error}.",
                         path=path, error=e) from None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#") or line.upper().startswith("INTERPOLATION"):
            continue
        parts = [p.strip() for p in line.split(",", 5)]
        if len(parts) < 4:
            raise InputError("The colour-map file {path}, line {number}: expected "
                             "'value,r,g,b,alpha,label', got {line}.",
                             path=path, number=number, line=repr(line))
        try:
            value = float(parts[0])
            if not value.is_integer():
                raise ValueError(parts[0])
            rgb = [int(p) for p in parts[1:4]]
        except ValueError:
            raise InputError("The colour-map file {path}, line {number}: bad number in "
                             "{line}.",
                             path=path, number=number, line=repr(line)) from None
        values.append(int(value))
        colors.append(rgb)
        names.append(parts[5] if len(parts) > 5 and parts[5] else f"class {int(value)}")
    if not values:
        raise InputError("The colour-map file {path} has no 'value,r,g,b,alpha,label' "
                         "lines.",
                         path=path)
    name = os.path.splitext(os.path.basename(path))[0]
    return ColorMap(values, names, colors, name=name).validate(path)


def _load_raster_table(path):
    ds = raster.open_raster(path, role="colour-map raster")
    band = ds.GetRasterBand(1)
    table = band.GetRasterColorTable()
    if table is None:
        raise InputError("The colour-map file {path} is neither JSON, a QGIS colour-map "
                         "export, nor a raster with a colour table.",
                         path=path)
    cats = raster.category_names(band)
    values, names, colors = [], [], []
    for v in range(min(table.GetCount(), IGNORE)):
        name = cats[v] if v < len(cats) and cats[v] else ""
        rgba = table.GetColorEntry(v)
        if not name and (cats or rgba[3] == 0):
            continue  # with category names, unnamed entries are padding
        values.append(v)
        names.append(name or f"class {v}")
        colors.append(rgba[:3])
    cmap = ColorMap(values, names, colors, name=os.path.splitext(os.path.basename(path))[0])
    return cmap.validate(path)


# ---------------------------------------------------------------- conversion
@dataclass
class LabelResult:
    """What a conversion wrote: the output path, pixels per class value, and
    the pixels whose colour (or value) was not in the map."""

    output: str
    counts: dict
    unknown_pixels: int = 0
    unknown: list = field(default_factory=list)  # [((r, g, b) or value, pixels)], most first


def _pack(r, g, b):
    return (np.asarray(r, np.uint32) << 16) | (np.asarray(g, np.uint32) << 8) | np.asarray(b, np.uint32)


def _unpack(key):
    key = int(key)
    return ((key >> 16) & 255, (key >> 8) & 255, key & 255)


class _Lookup:
    """Sorted packed-RGB keys -> class values (``IGNORE`` for ignore colours)."""

    def __init__(self, color_map):
        keys = [int(_pack(*c)) for c in color_map.colors] + \
               [int(_pack(*c)) for c in color_map.ignore_colors]
        vals = list(color_map.values) + [IGNORE] * len(color_map.ignore_colors)
        order = np.argsort(keys)
        self.keys = np.asarray(keys, np.uint32)[order]
        self.vals = np.asarray(vals, np.uint8)[order]

    def __call__(self, key):
        """(index array, boolean 'known' array) for packed keys."""
        pos = np.searchsorted(self.keys, key)
        np.minimum(pos, len(self.keys) - 1, out=pos)
        known = self.keys[pos] == key
        return np.where(known, self.vals[pos], np.uint8(IGNORE)), known


def _tally(counter, keys):
    """Add the counts of each distinct entry of ``keys`` into ``counter``."""
    if keys.size == 0:
        return
    uniq, counts = np.unique(keys, return_counts=True)
    for k, c in zip(uniq.tolist(), counts.tolist()):
        if k in counter or len(counter) < _MAX_TRACKED:
            counter[k] = counter.get(k, 0) + c


def color_to_index(input_path, output_path, color_map, unknown="fail", progress=None):
    """Convert an RGB(A) or paletted label raster to a Byte class-index raster.

    ``color_map``: a :class:`ColorMap`. The first three bands of a 3+ band
    Byte raster are R, G, B; a single band with a colour table is read through
    its palette. ``unknown``: ``"fail"`` raises InputError listing the first
    colours not in the map with their pixel counts over the whole image (the
    partial output is discarded); ``"ignore"`` writes them as 255. The output
    keeps the input's geotransform and projection and gets the map's colour
    table and category names. Returns a :class:`LabelResult`.
    """
    options.check("unknown_colors", unknown, "UNKNOWN")
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    color_map.validate()
    progress = progress_mod.ensure(progress)
    src = raster.open_raster(input_path, role="colour label raster")
    mode, nodata = _input_mode(src, input_path)
    lookup = _Lookup(color_map)
    if mode == "palette":
        palette_keys, palette_known, palette_index = _palette_lookup(src, lookup)

    counts = np.zeros(256, np.int64)
    unknown_counts = {}
    with outputs.writing(output_path) as partial:
        dst = raster.create(partial, src.RasterXSize, src.RasterYSize, 1, np.uint8,
                            geotransform=src.GetGeoTransform(), projection=src.GetProjection(),
                            nodata=IGNORE if nodata is not None else None)
        try:
            out_band = dst.GetRasterBand(1)
            windows = raster.block_windows(src)
            for i, window in enumerate(windows):
                if mode == "rgb":
                    data = raster.read_window(src, window, bands=[1, 2, 3])
                    key = _pack(data[..., 0], data[..., 1], data[..., 2])
                    index, known = lookup(key)
                    if nodata is not None:
                        masked = np.all(data == nodata, axis=-1)
                        known |= masked
                        index[masked] = IGNORE
                    if not known.all():
                        _tally(unknown_counts, key[~known])
                else:
                    data = raster.read_band_window(src.GetRasterBand(1), window)
                    index, known = palette_index[data], palette_known[data]
                    if nodata is not None:
                        masked = data == nodata
                        known |= masked
                        index[masked] = IGNORE
                    if not known.all():
                        _tally(unknown_counts, palette_keys[data[~known]])
                counts += np.bincount(index.ravel(), minlength=256)
                raster.write_window(dst, index, window)
                progress((i + 1) / len(windows))
            if unknown_counts and unknown == "fail":
                raise _unknown_error(input_path, unknown_counts, color_map)
            raster.set_class_table(out_band, color_map.classes())
            dst.FlushCache()
        finally:
            dst = out_band = None  # closed before the file is moved or removed
    ranked = sorted(unknown_counts.items(), key=lambda kv: -kv[1])
    return LabelResult(
        output=str(output_path),
        counts={int(v): int(c) for v, c in enumerate(counts) if c},
        unknown_pixels=int(sum(unknown_counts.values())),
        unknown=[(_unpack(k), int(c)) for k, c in ranked],
    )


def _input_mode(ds, path):
    """('rgb' | 'palette', nodata or None) for a colour label raster."""
    band = ds.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    if ds.RasterCount >= 3:
        types = {ds.GetRasterBand(b).DataType for b in (1, 2, 3)}
        if types != {raster.gdal.GDT_Byte}:
            raise InputError("The colour label raster {path} must have 8-bit (Byte) R, "
                             "G, B bands.",
                             path=path)
        return "rgb", nodata
    if band.GetRasterColorTable() is not None and band.DataType in (
            raster.gdal.GDT_Byte, raster.gdal.GDT_UInt16):
        return "palette", nodata
    raise InputError("The colour label raster {path} has {bands} band(s) and no colour "
                     "table: give an RGB(A) raster or a single band with a colour table.",
                     path=path, bands=ds.RasterCount)


def _palette_lookup(ds, lookup):
    """Per palette index: packed RGB key, 'known' flag and class value."""
    band = ds.GetRasterBand(1)
    table = band.GetRasterColorTable()
    size = 256 if band.DataType == raster.gdal.GDT_Byte else 65536
    rgb = np.zeros((size, 3), np.uint32)
    present = np.zeros(size, bool)
    for v in range(min(table.GetCount(), size)):
        rgb[v] = table.GetColorEntry(v)[:3]
        present[v] = True
    keys = _pack(rgb[:, 0], rgb[:, 1], rgb[:, 2])
    index, known = lookup(keys)
    return keys, known & present, index


def _unknown_error(path, unknown_counts, color_map):
    ranked = sorted(unknown_counts.items(), key=lambda kv: -kv[1])
    listed = ", ".join(f"{_unpack(k)}: {c} pixels" for k, c in ranked[:_MAX_LISTED])
    total = sum(unknown_counts.values())
    if len(ranked) > _MAX_LISTED:
        return InputError(
            "The colour label raster {path} has {total} pixels in {n_colors} colour(s) that "
            "are not in the colour map {color_map}: {listed} and {more} more. Add them to the "
            "map or map unknown colours to 255 (ignore).",
            path=path, total=total, n_colors=len(ranked), color_map=repr(color_map.name),
            listed=listed, more=len(ranked) - _MAX_LISTED)
    return InputError(
        "The colour label raster {path} has {total} pixels in {n_colors} colour(s) that "
        "are not in the colour map {color_map}: {listed}. Add them to the map or map unknown "
        "colours to 255 (ignore).",
        path=path, total=total, n_colors=len(ranked), color_map=repr(color_map.name),
        listed=listed)


def index_to_color(input_path, output_path, color_map, progress=None):
    """Convert a class-index raster to an RGB Byte 3-band GeoTIFF.

    Values not in the map (other than 255 when the map has an ignore colour,
    which is drawn in the first ignore colour) are written black and counted
    in the result's ``unknown`` list as ``(value, pixels)``.
    """
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    color_map.validate()
    progress = progress_mod.ensure(progress)
    src = raster.open_raster(input_path, role="class index raster")
    band = src.GetRasterBand(1)
    dtype = raster.numpy_type(band.DataType)
    if dtype.kind == "f":
        raise InputError("The class index raster {input_path} must hold integers, not "
                         "{dtype}.",
                         input_path=input_path, dtype=dtype)
    lut = np.zeros((257, 3), np.uint8)  # entry 256: any value outside 0..255
    known = np.zeros(257, bool)
    for v, _, c in color_map.classes():
        lut[v], known[v] = c, True
    if color_map.ignore_colors:
        lut[IGNORE], known[IGNORE] = color_map.ignore_colors[0], True
    nodata = band.GetNoDataValue()
    counts = np.zeros(257, np.int64)
    with outputs.writing(output_path) as partial:
        dst = raster.create(partial, src.RasterXSize, src.RasterYSize, 3, np.uint8,
                            geotransform=src.GetGeoTransform(), projection=src.GetProjection(),
                            options=raster.GTIFF_OPTIONS + ("PHOTOMETRIC=RGB",))
        try:
            windows = raster.block_windows(src)
            for i, window in enumerate(windows):
                data = raster.read_band_window(band, window)
                if dtype != np.uint8:
                    data = np.where((data < 0) | (data > 255), 256, data).astype(np.uint16)
                bins = np.bincount(data.ravel(), minlength=257)
                if nodata is not None and 0 <= nodata <= 255 and float(nodata).is_integer():
                    bins[int(nodata)] = 0  # nodata pixels are drawn black, not counted
                counts += bins
                raster.write_window(dst, lut[data], window)
                progress((i + 1) / len(windows))
            dst.FlushCache()
        finally:
            dst = None  # closed before the file is moved or removed
    unknown_values = [(v if v < 256 else "outside 0..255", int(counts[v]))
                      for v in range(257) if counts[v] and not known[v]]
    return LabelResult(
        output=str(output_path),
        counts={int(v): int(counts[v]) for v in range(256) if counts[v] and known[v]},
        unknown_pixels=int(sum(c for _, c in unknown_values)),
        unknown=sorted(unknown_values, key=lambda vc: -vc[1]),
    )
