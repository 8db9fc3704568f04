"""Tile Dataset: cut scenes and their labels into training chips.

``tile_scene`` reads a scene by windows (``raster.grid_windows`` or
``raster.random_windows``), writes each kept window as an image chip and,
when a label is given, a Byte label chip on the same grid (engine/data/chips.py).
Many scenes make one dataset: running again into a dataset folder adds that
scene's chips and updates ``dataset.json`` and the split files.

Folder layout (read by Train Model)::

    images/<name>.tif   image chips: all bands, source type, georeferenced
    labels/<name>.tif   Byte class chips; 255 = ignore (nodata, unlabelled)
    train.txt val.txt   chip names, one a line, sorted
    dataset.json        tile size, bands, type, classes, mean/std, sources

Nothing half-written: chips written by a run that fails or is cancelled are
removed, and the json and split files are replaced atomically at the end
(dataset_files.py owns their format: it reads, merges and writes them).
Chips are plain (uncompressed) GeoTIFFs: for 256-pixel chips DEFLATE made
writing about 6x slower for a third less disk (bench/tiling_bench.py).
"""

import dataclasses
import os
import re
import shutil
import tempfile
import urllib.parse
from typing import Optional, Sequence, Union

import numpy as np
from osgeo import gdal, ogr, osr

from .. import progress as progress_mod
from .. import options
from ..formats import dataset_files
from . import raster, sources, splits, vectorize
from .chips import ChipWriter
from ..formats.dataset_files import DATASET_JSON, IMAGES, LABELS
from ..errors import InputError
from .labels import IGNORE

METHODS = tuple(options.names("tile_method"))
MAX_DRAWS_PER_TILE = 20  # random method: draws allowed per wanted tile


@dataclasses.dataclass(frozen=True)
class TileParams:
    """What ``tile_scene`` cuts and how: Tile Dataset's parameters.

    ``image`` is anything GDAL opens: a file, a VRT, or a web service
    description (engine/data/sources.py). ``resolution`` (map units per pixel;
    None or 0: the image's own) and ``extent`` (xmin, ymin, xmax, ymax in the
    image's CRS) read it on another grid, window by window through a warped
    VRT; a web image needs both. ``image_name`` names it in dataset.json and
    the chip names (default: ``image``, or a web layer's URL).

    ``label`` is a class-index raster, ``label_vector`` a vector (``path`` or
    QGIS-style ``path|layername=name``) whose integer ``label_field`` is
    burnt onto the image grid; give at most one. ``method`` "random" draws
    ``tiles_per_image`` windows (reproducible by ``seed``), "stride" covers the
    scene every ``stride`` pixels (default: ``tile_size``). Chips whose
    fraction of labelled, valid pixels is below ``min_labelled`` are skipped
    (without a label: of valid pixels; a pixel is invalid where any band holds
    the image's nodata, and its label chip pixel is 255 there).

    The new chips are split train/val (engine/data/splits.py): ``split`` "blocks"
    (default) takes whole validation blocks, about ``val_fraction`` of the
    scene, and drops chips that straddle a validation and a training block, so
    no validation pixel lies in a training chip; ``validation_area`` (polygons)
    does the same with the user's area; "random" draws ``val_fraction`` of the
    chips at random, reproducible by ``seed`` (overlapping chips then share
    pixels across the split). The blocks lie on the ground, on the dataset's
    lattice (``block_lattice`` in dataset.json), so scenes that overlap share
    them; their side adapts so validation holds about ``val_fraction`` of the
    chips. dataset.json records the method and the number of validation pixels
    inside training chips, measured over all the dataset's scenes; too few
    validation chips are a warning. An image that holds only nodata is refused.

    Values are checked by ``tile_scene``, not here.
    """

    image: Union[str, os.PathLike]
    output_dir: Union[str, os.PathLike]  # an empty or missing folder, or a dataset
    label: Optional[str] = None
    label_vector: Optional[str] = None
    label_field: Optional[str] = None
    tile_size: int = 256
    method: str = "random"  # "random" | "stride" (options "tile_method")
    stride: Optional[int] = None  # None or 0: tile_size
    tiles_per_image: int = 100  # the random method's wanted chips
    val_fraction: float = 0.2
    seed: int = 0
    min_labelled: float = 0.0
    split: str = "blocks"  # "blocks" | "random" (engine/data/splits.py)
    validation_area: Optional[str] = None
    resolution: Optional[float] = None
    extent: Optional[Sequence[float]] = None
    image_name: Optional[str] = None

    @property
    def has_labels(self):
        return bool(self.label or self.label_vector)


@dataclasses.dataclass
class TileResult:
    """What one ``tile_scene`` run did (counts are of this run's chips)."""

    output_dir: str
    tile_count: int
    total_tiles: int
    train: int
    val: int
    skipped: int
    dropped: int = 0  # chips that would have put validation pixels into training


def tile_scene(params, progress=None):
    """Cut ``params.image`` (and its label) into chips added to the dataset in
    ``params.output_dir`` (:class:`TileParams` says how).

    Raises InputError for unusable inputs or a folder that is neither empty
    nor a dataset, and Cancelled when ``progress`` asks to stop; either way
    the chips written so far are removed and the dataset is left as it was.
    """
    progress = progress_mod.ensure(progress)
    p = _checked(params)
    existing = _load_dataset(p.output_dir)
    image_ds, image, scene = _open_scene(p, existing)

    created = []  # folders and files this run made: removed on failure
    tmpdir = label_ds = tiler = None
    try:
        _make_folders([p.output_dir], created)
        if p.label_vector:
            tmpdir = tempfile.mkdtemp(prefix="semseg-tiling-")
        label_ds, class_names, class_colors, color_table = _label_on_grid(p, image_ds, tmpdir)
        _make_folders([os.path.join(p.output_dir, sub)
                       for sub in ((IMAGES, LABELS) if p.has_labels else (IMAGES,))], created)

        prefix = _unique_prefix(_stem(image), existing, p.output_dir)
        lattice = _shared_lattice(existing, scene, p)
        splitter = splits.make_split(p.split, p.val_fraction, image_ds.RasterXSize,
                                     image_ds.RasterYSize, p.tile_size, p.seed,
                                     p.validation_area, image_ds,
                                     windows=() if lattice else _planned_windows(p, image_ds),
                                     lattice=lattice)
        tiler = ChipWriter(image_ds, scene, label_ds, color_table, p.output_dir, prefix,
                           p.tile_size, p.min_labelled, created, splitter,
                           label_source=p.label or p.label_vector)
        _cut(tiler, p, image, progress)
        train, val, split_info = _split_chips(tiler, splitter, p, image, progress)
        leaked = _dataset_leak(p.output_dir, existing, tiler, train, val, split_info)
        shares_crs = existing is None or existing.get("crs") == scene["crs"]
        dataset = dataset_files.updated(
            existing, _header(scene, p.tile_size, p.has_labels), tiles=tiler.count,
            pixel_count=tiler.count_px, pixel_sum=tiler.sum, pixel_sumsq=tiler.sumsq,
            class_pixels=tiler.classes[:IGNORE], class_names=class_names,
            class_colors=class_colors,
            source=_source_entry(p, image, scene, prefix, tiler, train, val, split_info),
            val_pixels_in_train_chips=leaked,
            lattice=split_info.get("lattice") if shares_crs else None)
        written = dataset_files.write(p.output_dir, dataset, {"train": train, "val": val},
                                      created)
        _check_split(dataset, written, p, progress)
        result = TileResult(p.output_dir, tiler.count, dataset["tile_count"], len(train),
                            len(val), tiler.skipped, tiler.dropped)
    except BaseException:
        _remove(created)
        raise
    finally:
        tiler = label_ds = image_ds = None  # close GDAL handles before removing tmpdir
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    _report(result, image, progress)
    return result


# ---------------------------------------------------------------- the steps
def _checked(params):
    """``params`` with tile size, stride and tiles per image as checked ints and
    the output folder absolute; InputError for a bad value."""
    tile_size, stride, tiles_per_image = _check_numbers(
        params.tile_size, params.method, params.stride, params.tiles_per_image,
        params.val_fraction, params.min_labelled)
    if params.label and params.label_vector:
        raise InputError("Give either a label raster or a label vector, not both "
                         "(label={label}, label_vector={label_vector}).",
                         label=params.label, label_vector=params.label_vector)
    return dataclasses.replace(params, tile_size=tile_size, stride=stride,
                               tiles_per_image=tiles_per_image,
                               output_dir=os.path.abspath(str(params.output_dir)))


def _open_scene(p, existing):
    """(GDAL dataset, name, facts) of the image, checked against the tile size
    and the ``existing`` dataset (None: a new one)."""
    image_ds = sources.open_at(p.image, p.resolution, p.extent, role="image")
    image = p.image_name or sources.describe(p.image)
    width, height = image_ds.RasterXSize, image_ds.RasterYSize
    if width < p.tile_size or height < p.tile_size:
        raise InputError("The image {image} ({width} x {height} pixels) is smaller than "
                         "a tile ({tile_size} x {tile_size} pixels).",
                         image=image, width=width, height=height, tile_size=p.tile_size)
    scene = _scene_info(image_ds, image)
    if existing is not None:
        _check_compatible(existing, p.output_dir, scene, image, p.tile_size, p.has_labels)
    return image_ds, image, scene


def _make_folders(folders, created):
    """Make the missing ``folders``, noting each in ``created``."""
    for folder in folders:
        if not os.path.isdir(folder):
            raster.make_folder(folder)
            created.append(folder)


def _label_on_grid(p, image_ds, tmpdir):
    """(label on the image grid or None, class names, class colours, colour
    table): the label raster warped, or the label vector burnt in ``tmpdir``."""
    if p.label:
        return _open_label(p.label, image_ds)
    if p.label_vector:
        return rasterize_classes(p.label_vector, p.label_field, image_ds, tmpdir), {}, {}, None
    return None, {}, {}, None


def _cut(tiler, p, image, progress):
    """Offer ``tiler`` the scene's windows: the stride grid, or random draws until
    it holds ``tiles_per_image`` chips (at most MAX_DRAWS_PER_TILE draws each).
    InputError when no chip was kept."""
    width, height = tiler.image_ds.RasterXSize, tiler.image_ds.RasterYSize
    if p.method == "stride":
        windows = raster.grid_windows(width, height, p.tile_size, p.stride)
        for i, window in enumerate(windows):
            progress(i / len(windows))
            tiler.add(window)
    else:
        rng = np.random.default_rng(p.seed)
        max_draws = p.tiles_per_image * MAX_DRAWS_PER_TILE
        draws = 0
        while tiler.count < p.tiles_per_image and draws < max_draws:
            batch = min(max_draws - draws, p.tiles_per_image - tiler.count)
            for window in raster.random_windows(width, height, p.tile_size, batch, rng):
                progress(max(tiler.count / p.tiles_per_image, draws / max_draws))
                draws += 1
                tiler.add(window)
    progress(1.0)
    if tiler.windows_read and not tiler.valid_px:
        raise InputError(
            "The image {image} holds only nodata where it was cut ({windows} windows, "
            "nodata {nodata}): its chips would have nothing to learn from and mean and "
            "standard deviation 0. Check the image's nodata value, its bands and the "
            "extent.",
            image=image, windows=tiler.windows_read,
            nodata=", ".join(sorted({str(v) for v in tiler.nodata})))
    if tiler.count == 0:
        raise InputError(
            "No chip of {image} has at least {min_labelled:.0%} labelled, valid "
            "pixels ({skipped} skipped): lower the minimum labelled fraction or "
            "check that the label covers the image.",
            image=image, min_labelled=p.min_labelled, skipped=tiler.skipped)


def _split_chips(tiler, splitter, p, image, progress):
    """(train names, val names, the split's record for dataset.json)."""
    if splitter is None:
        if p.split == "blocks" and float(p.val_fraction) > 0:
            progress.warning(
                "The image {image} is too small for a spatial validation split with "
                "{tile_size}-pixel tiles: validation chips are drawn at random, and "
                "overlapping chips may share pixels across the split (dataset.json "
                "records how many).", image=image, tile_size=p.tile_size)
        train, val = splits.random_split(tiler.names, p.val_fraction, p.seed)
        split_info = {"method": "random" if val else "none"}
    else:
        train, val = sorted(tiler.roles[splits.TRAIN]), sorted(tiler.roles[splits.VAL])
        split_info = splitter.describe()
    split_info["dropped_chips"] = tiler.dropped
    split_info["val_pixels_in_train_chips"] = splits.val_pixels_in_train_chips(
        [tiler.windows[n] for n in train], [tiler.windows[n] for n in val])
    return train, val, split_info


def _planned_windows(p, image_ds, most=20000):
    """The windows a new block lattice is fitted to: the stride grid, or a
    sample of random windows drawn apart from the cut's own (at most ``most``)."""
    width, height = image_ds.RasterXSize, image_ds.RasterYSize
    rng = np.random.default_rng([int(p.seed), 1])
    if p.method == "stride":
        windows = raster.grid_windows(width, height, p.tile_size, p.stride)
        if len(windows) > most:
            windows = [windows[i] for i in sorted(rng.choice(len(windows), most,
                                                             replace=False))]
        return windows
    return raster.random_windows(width, height, p.tile_size,
                                 min(most, max(400, 4 * p.tiles_per_image)), rng)


def _shared_lattice(existing, scene, p):
    """The dataset's block lattice when this scene shares it: the same CRS, the
    same validation fraction's period (None: the scene gets a lattice of its own)."""
    if existing is None or existing.get("crs") != scene["crs"] or p.split != "blocks" \
            or p.validation_area or float(p.val_fraction) <= 0:
        return None
    lattice = splits.Lattice.from_json(existing.get("block_lattice"))
    if lattice is None or lattice.period != splits.lattice_period(p.val_fraction):
        return None
    return lattice


def _dataset_leak(folder, existing, tiler, train, val, split_info):
    """Validation pixels inside training chips over the whole dataset: this
    scene's chips and those listed before, compared on the ground (in the
    dataset's CRS; chips of a scene in another CRS by their bounding box)."""
    if existing is None:
        return split_info["val_pixels_in_train_chips"]
    crs = existing.get("crs") or ""
    gt = tiler.geotransform
    same = crs == (tiler.projection or "")
    new = {name: _footprint_in(splits.footprint(gt, tiler.windows[name]),
                               tiler.projection, crs, same) for name in train + val}
    listed = dataset_files.read_splits(folder)
    old = {name: _chip_footprint(folder, name, crs) for name in listed["train"] + listed["val"]}
    pick = {"train": [new[n] for n in train] + [old[n] for n in listed["train"] if old[n]],
            "val": [new[n] for n in val] + [old[n] for n in listed["val"] if old[n]]}
    return splits.val_pixels_in_train_footprints(pick["train"], pick["val"])


def _chip_footprint(folder, name, crs):
    """The ground footprint of a chip file in ``crs`` (None: it cannot be read)."""
    ds = gdal.Open(os.path.join(folder, IMAGES, name + ".tif"))
    if ds is None:
        return None
    window = raster.Window(0, 0, ds.RasterXSize, ds.RasterYSize)
    projection = ds.GetProjection() or ""
    return _footprint_in(splits.footprint(ds.GetGeoTransform(), window), projection, crs,
                         projection == crs)


def _footprint_in(footprint, projection, crs, same):
    """``footprint`` (in ``projection``) as the bounding box of its corners in
    ``crs``; unchanged when both are the same or either is unknown."""
    if same or not projection or not crs:
        return footprint
    source, target = osr.SpatialReference(), osr.SpatialReference()
    if source.ImportFromWkt(projection) or target.ImportFromWkt(crs):
        return footprint
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if source.IsSame(target):
        return footprint
    left, bottom, right, top, w, h = footprint
    transform = osr.CoordinateTransformation(source, target)
    points = [transform.TransformPoint(x, y)[:2] for x in (left, right) for y in (bottom, top)]
    xs, ys = [pt[0] for pt in points], [pt[1] for pt in points]
    return (min(xs), min(ys), max(xs), max(ys), w, h)


def _check_split(dataset, written, p, progress):
    """Warn when the dataset's validation chips are too few to judge epochs by,
    or when validation pixels lie in training chips of other scenes."""
    n_val, n_chips = len(written["val"]), len(written["train"]) + len(written["val"])
    asked = float(p.val_fraction) > 0 or p.validation_area
    if asked and splits.too_few_for_validation(n_val, n_chips):
        progress.warning(
            "The dataset {output_dir} holds {n_val} validation chips of {n_chips} "
            "({share:.1%}): fewer than {minimum} are too few to choose the best epoch by, "
            "so Train Model will keep the last epoch. Raise the validation fraction (now "
            "{val_fraction}), tile more scenes into the dataset, or draw a validation "
            "area.",
            output_dir=p.output_dir, n_val=n_val, n_chips=n_chips,
            share=n_val / max(n_chips, 1), minimum=splits.min_validation_chips(n_chips),
            val_fraction=p.val_fraction)
    within = sum(int(s.get("split", {}).get("val_pixels_in_train_chips", 0))
                 for s in dataset["sources"])
    leaked = int(dataset["split"]["val_pixels_in_train_chips"])
    if leaked > within:
        progress.warning(
            "{across} validation pixels lie inside training chips of other scenes of the "
            "dataset {output_dir}: the scenes overlap and were split differently (another "
            "CRS, validation fraction or split method). dataset.json records "
            "{leaked} in all.",
            across=leaked - within, output_dir=p.output_dir, leaked=leaked)


def _source_entry(p, image, scene, prefix, tiler, train, val, split_info):
    """This scene's entry in dataset.json's ``sources``."""
    return {"image": str(image), "label": str(p.label) if p.label else None,
            "label_vector": str(p.label_vector) if p.label_vector else None,
            "prefix": prefix, "tiles": tiler.count, "train": len(train),
            "val": len(val), "crs": scene["crs"],
            "size": [tiler.image_ds.RasterXSize, tiler.image_ds.RasterYSize],
            "resolution": scene["resolution"],
            "split": split_info}


def _report(result, image, progress):
    progress.info("{tile_count} chips from {image} ({train} train, {val} validation, "
                  "{skipped} skipped) in {output_dir}",
                  tile_count=result.tile_count, image=image, train=result.train, val=result.val,
                  skipped=result.skipped, output_dir=result.output_dir)
    if result.dropped:
        progress.info("{dropped} chips straddled validation and training areas and were "
                      "left out, so no validation pixel lies in a training chip.",
                      dropped=result.dropped)


# ---------------------------------------------------------------- inputs
def _check_numbers(tile_size, method, stride, tiles_per_image, val_fraction, min_labelled):
    options.check("tile_method", method, "METHOD")
    tile_size = int(tile_size)
    if tile_size <= 0:
        raise InputError("The tile size must be positive (got {tile_size}).",
                         tile_size=tile_size)
    stride = int(stride) if stride else tile_size
    if stride <= 0:
        raise InputError("The stride must be positive (got {stride}).",
                         stride=stride)
    tiles_per_image = int(tiles_per_image)
    if method == "random" and tiles_per_image <= 0:
        raise InputError("Tiles per image must be positive (got {tiles_per_image}).",
                         tiles_per_image=tiles_per_image)
    if not 0.0 <= float(val_fraction) < 1.0:
        raise InputError("The validation fraction must be in [0, 1) (got {val_fraction}).",
                         val_fraction=val_fraction)
    if not 0.0 <= float(min_labelled) <= 1.0:
        raise InputError("The minimum labelled fraction must be in [0, 1] (got "
                         "{min_labelled}).",
                         min_labelled=min_labelled)
    return tile_size, stride, tiles_per_image


def _scene_info(ds, path):
    first = ds.GetRasterBand(1)
    band_nodata = raster.band_nodata(ds)
    raster.numpy_type(first.DataType)  # refuse types numpy cannot hold (complex...)
    return {
        "bands": ds.RasterCount,
        "gdal_type": first.DataType,
        "data_type": gdal.GetDataTypeName(first.DataType),
        "band_names": [ds.GetRasterBand(i + 1).GetDescription() or f"Band {i + 1}"
                       for i in range(ds.RasterCount)],
        "band_nodata": band_nodata,
        "nodata": band_nodata[0],
        "crs": ds.GetProjection() or "",
        "resolution": sources.ground_resolution(ds),
        "crs_units": sources.crs_units(ds.GetProjection()),
        "path": str(path),
    }


def _check_compatible(dataset, where, scene, image, tile_size, has_labels):
    if int(dataset.get("tile_size", -1)) != tile_size:
        raise InputError("The dataset {where} has tiles of {dataset_tile_size} pixels; "
                         "tiling {image} with {tile_size} would mix sizes.",
                         where=where, dataset_tile_size=dataset.get("tile_size"), image=image,
                         tile_size=tile_size)
    if int(dataset.get("bands", -1)) != scene["bands"]:
        raise InputError("The image {image} has {scene_bands} bands but the dataset "
                         "{where} has {dataset_bands}.",
                         image=image, scene_bands=scene["bands"], where=where,
                         dataset_bands=dataset.get("bands"))
    if dataset.get("data_type") != scene["data_type"]:
        raise InputError("The image {image} is {scene_data_type} but the dataset {where} "
                         "is {dataset_data_type}.",
                         image=image, scene_data_type=scene["data_type"], where=where,
                         dataset_data_type=dataset.get("data_type"))
    if bool(dataset.get("has_labels")) != has_labels:
        if dataset.get("has_labels"):
            raise InputError("The dataset {where} has labels: give {image} a label too.",
                             where=where, image=image)
        raise InputError("The dataset {where} has no labels: give {image} no label.",
                         where=where, image=image)


def _load_dataset(output_dir):
    """The dataset in ``output_dir`` (None for a new or empty folder)."""
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise InputError("The output folder {output_dir} is a file.",
                         output_dir=output_dir)
    if not os.path.isdir(output_dir):
        return None
    path = os.path.join(output_dir, DATASET_JSON)
    if not os.path.exists(path):
        if os.listdir(output_dir):
            raise InputError("The folder {output_dir} is not empty and holds no "
                             "{dataset_json}: choose an empty folder or an existing "
                             "dataset.",
                             output_dir=output_dir, dataset_json=DATASET_JSON)
        return None
    dataset = dataset_files.load_description(path)
    dataset_files.check_appendable(dataset, path)
    return dataset


def _open_label(path, image_ds):
    """(label on the image grid, class names, class colours, colour table)."""
    src = raster.open_raster(path, role="label")
    raster.check_class_raster(src, path, role="label")
    band = src.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    table = band.GetRasterColorTable()
    names = raster.category_names(band)
    class_names = {str(v): n for v, n in enumerate(names[:IGNORE]) if n}
    class_colors = {}
    if table is not None:
        table = table.Clone()
        for v in range(min(table.GetCount(), IGNORE)):
            r, g, b, a = table.GetColorEntry(v)
            if a or (r, g, b) != (0, 0, 0):
                class_colors[str(v)] = [int(r), int(g), int(b)]
    warped = raster.warp_to_grid(src, image_ds, role="label",
                                 nodata=nodata if nodata is not None else IGNORE)
    return warped, class_names, class_colors, table


def open_class_layer(vector, field):
    """(OGR data source, layer, field index, subset) of a class vector whose
    integer ``field`` holds classes 0..254; InputError naming the vector, the
    field or the bad value otherwise. Keep the data source while using the layer.
    """
    path, layer_ref, subset = vectorize.split_vector_path(vector)
    if not field:
        raise InputError("Name the class field of the label vector {vector}.",
                         vector=vector)
    if raster.missing_file(path):
        raise InputError("The label vector file {path} does not exist.",
                         path=path)
    src = raster.gdal_call(gdal.OpenEx, path, gdal.OF_VECTOR)
    if src is None:
        raise InputError("GDAL cannot open the label vector {path}: {gdal_error}.",
                         path=path, gdal_error=raster.last_error("not a vector"))
    layer = vectorize.pick_layer(src, layer_ref)
    if layer is None:
        raise InputError("The label vector {path} has no layer {layer_ref}.",
                         path=path, layer_ref=layer_ref)
    defn = layer.GetLayerDefn()
    index = defn.GetFieldIndex(field)
    if index < 0:
        fields = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        raise InputError("The label vector {vector} has no field {field} (fields: "
                         "{fields}).",
                         vector=vector, field=repr(field), fields=", ".join(fields) or "none")
    ftype = defn.GetFieldDefn(index).GetType()
    if ftype not in (ogr.OFTInteger, ogr.OFTInteger64, ogr.OFTReal):
        raise InputError("The class field {field} of {vector} must be an integer field, "
                         "not {field_type}.",
                         field=repr(field), vector=vector, field_type=ogr.GetFieldTypeName(ftype))
    if subset and not raster.gdal_ok(layer.SetAttributeFilter, subset):
        raise InputError("The filter {subset} of the label vector {vector} is invalid: "
                         "{gdal_error}.",
                         subset=repr(subset), vector=vector,
                         gdal_error=raster.last_error("invalid filter"))
    layer.SetIgnoredFields([defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())
                            if i != index] + ["OGR_GEOMETRY"])
    with raster.quiet_gdal():  # OGR reports a bad filter only when reading
        try:
            value = _first_wrong_class(layer, index)
            failed = gdal.GetLastErrorType() >= gdal.CE_Failure
        except RuntimeError:  # the same, with ogr.UseExceptions()
            value, failed = None, True
    if failed:
        raise InputError("Cannot read the label vector {vector}: {gdal_error}.",
                         vector=vector, gdal_error=raster.last_error("read error"))
    if value is not None:
        raise InputError("The label vector {vector} has the class {value} in field "
                         "{field}: classes must be whole numbers 0..254.",
                         vector=vector, value=value, field=repr(field))
    layer.SetIgnoredFields([])
    layer.ResetReading()
    return src, layer, index, subset


def rasterize_classes(vector, field, image_ds, tmpdir):
    """Burn ``field`` of ``vector`` onto a temporary Byte raster on the image grid
    (255 where no polygon falls); InputError when nothing falls on it.

    gdal.Rasterize reprojects the geometries when the layer's CRS differs
    from the raster's.
    """
    src, layer, _index, subset = open_class_layer(vector, field)
    target = os.path.join(tmpdir, "label.tif")
    ds = raster.create(target, image_ds.RasterXSize, image_ds.RasterYSize, 1, gdal.GDT_Byte,
                       image_ds.GetGeoTransform(), image_ds.GetProjection(), nodata=IGNORE,
                       options=("TILED=YES", "COMPRESS=DEFLATE", "ZLEVEL=1",
                                "SPARSE_OK=TRUE"))
    if not raster.gdal_ok(ds.GetRasterBand(1).Fill, IGNORE):
        raise InputError("Cannot create {path}: {last_error}.",
                         path=target, last_error=raster.last_error("write error"))
    ok = raster.gdal_call(gdal.Rasterize, ds, src, layers=[layer.GetName()],
                          attribute=field, where=subset or None)
    if not ok:
        raise InputError("Cannot rasterize the label vector {vector}: {gdal_error}.",
                         vector=vector, gdal_error=raster.last_error("rasterize failed"))
    ds.FlushCache()
    if not _any_labelled(ds):
        raise InputError("The label vector {vector} does not overlap the image {source} "
                         "(no polygon falls on it).",
                         vector=vector, source=image_ds.GetDescription())
    return ds


def _first_wrong_class(layer, index):
    """The first value of field ``index`` that is not a class 0..254 (None if all are)."""
    for feature in layer:
        value = feature.GetField(index)
        if value is not None and not (0 <= value < IGNORE and float(value) == int(value)):
            return value
    return None


def _any_labelled(ds):
    band = ds.GetRasterBand(1)
    return any(np.any(raster.read_band_window(band, w) != IGNORE)
               for w in raster.block_windows(ds))


# ---------------------------------------------------------------- names and split
def _stem(path):
    if "://" in str(path):  # a web layer's URL: its host names the chips
        name = urllib.parse.urlsplit(str(path)).hostname or "web"
        return re.sub(r"[^A-Za-z0-9_-]", "_", name)
    name = os.path.splitext(os.path.basename(str(path).split("|")[0].rstrip("/\\")))[0]
    return re.sub(r"[^A-Za-z0-9_-]", "_", name) or "scene"


def _unique_prefix(stem, dataset, output_dir):
    taken = {s.get("prefix") for s in (dataset or {}).get("sources", [])}
    prefix, n = stem, 1
    while prefix in taken or os.path.exists(
            os.path.join(output_dir, IMAGES, f"{prefix}_{0:06d}.tif")):
        n += 1
        prefix = f"{stem}_{n}"
    return prefix


# ---------------------------------------------------------------- dataset.json
def _header(scene, tile_size, has_labels):
    """What dataset.json says of a new dataset before its first scene's chips."""
    return {"tile_size": tile_size, "bands": scene["bands"], "band_names": scene["band_names"],
            "data_type": scene["data_type"], "nodata": scene["nodata"],
            "ignore_value": IGNORE, "has_labels": has_labels, "crs": scene["crs"],
            "resolution": scene["resolution"], "crs_units": scene["crs_units"]}


def _remove(created):
    """Undo a failed run: remove its files, then its (now empty) folders."""
    for path in reversed(created):
        try:
            if os.path.isdir(path):
                os.rmdir(path)
            elif os.path.exists(path):
                os.remove(path)
                if os.path.exists(path + ".aux.xml"):
                    os.remove(path + ".aux.xml")
        except OSError:
            pass
