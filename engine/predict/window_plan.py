"""Predict Raster's window plan: window, overlap, batch and memory, decided
from plain values before TensorFlow is imported (docs/architecture.md).

:func:`make_plan` takes a :class:`PlanRequest`: the model file's metadata
(``modelfile.read_metadata``, zipfile and json only), the scene's size and
the user's values; it checks them and returns a frozen :class:`WindowPlan`;
a bad value fails here, in well under a second, before any output file
exists. Everything downstream reads the plan.

"Auto" is spelled 0 for TILE_SIZE, OVERLAP and BATCH_SIZE.

Windows are anchored to the scene's own pixel grid: window ``(i, j)`` starts
at column ``j * stride`` and row ``i * stride`` of the *scene* (the last
row and column flush with the scene edge), whatever EXTENT is. A run over an
EXTENT predicts the windows of that grid which touch the extent, reading
them whole, and writes the extent's pixels; so a scene predicted in parts
and mosaicked is the same, byte for byte, as one run over it. Windows of the
grid that miss the extent are counted as skipped.

Window size (``tile_size=0``):

- A network with image-level context (a global pooling branch or a 1x1
  pyramid bin: the catalog row's ``image_context``) saw training tiles of one size, and
  its pooled features change with the window: it keeps the model's training
  tile.
- An ONNX file in the Deepness layout exported before its graph took any
  size takes windows of its tile size only (:func:`fixed_window`): that is
  the window, a smaller scene is padded up to it, and TILE_SIZE may only be
  0 or that size.
- Any other network is fully convolutional: a larger window sees the same
  pixels with less overlap to recompute, so the window is as large as the
  memory budget allows for a batch of one (at most :data:`MAX_AUTO_WINDOW`),
  never larger than the scene needs.

One plan everywhere. The plan depends only on the inputs and the
parameters, never on the machine: the memory budget is a parameter
(MEMORY_BUDGET, the Processing setting "Memory budget (MiB)",
:data:`DEFAULT_BUDGET_MIB` by default), not the free RAM or GPU memory. The
automatic batch is as large as the budget allows (at most
:data:`MAX_AUTO_BATCH`). A plan whose estimate exceeds the budget is refused
(InputError naming TILE_SIZE and BATCH_SIZE). Once the backend is up, free
memory (:func:`available_memory`, or 60 % of a GPU's free memory as
``nvidia-smi`` reports it: predictors.gpu_budget) may only lower an automatic
batch (:meth:`WindowPlan.lower_batch`), and out-of-memory halves it; the
batch never changes the output (each window's prediction is its own). The
plan's description (:func:`describe_plan`) is written into the class
raster's metadata (``SEMSEG_PLAN``).

Overlap (``overlap=0``): the decoder's context margin
(the catalog row's ``context_margin``, an estimate of how far from a window edge padding
still changes a prediction: the effective receptive field, which is much
smaller than the theoretical one), rounded up to the network's divisor, at
most half a window; a context network uses a quarter of its tile.

Strips: a row band one window high and as wide as the scene would grow with
the scene's width. Above :data:`BAND_BUDGET` bytes the hull is cut into
vertical strips (owned columns ``[x0, x1)``), each run as its own row band
over the windows that touch it; a window that straddles a strip boundary is
predicted once per strip (a few per cent more windows, only for scenes wider
than several thousand pixels). A pixel's sum still gathers the same windows
in the same order, so the result does not change; memory stays flat
whatever the scene's width.

Activation memory is estimated as :data:`BYTES_PER_PIXEL` per input pixel
of a batch: one figure for every network, the largest measured on a CPU
(bench/memory_per_pixel.py, bench/results/memory_per_pixel.txt: from 277 for
PSPNet and 315 for the default U-Net up to 964 for FCN-8s and SegNet on
VGG-16), so the plan never under-estimates, at the price of refusing some
batches a small network would fit (raise MEMORY_BUDGET for those), plus the
input and the read-ahead queue (:data:`QUEUE_BYTES_PER_BAND` per pixel and
band) and the row band (at most a quarter of the budget, or
:data:`BAND_BUDGET`).

No TensorFlow here (the plan must exist before it is imported).
"""

import dataclasses
import json
import math
from typing import Optional, Tuple

from .. import options
from ..data import raster
from ..errors import InputError
from ...models import catalog
from ..data.raster import Window

AUTO = 0
BYTES_PER_PIXEL = 1024
QUEUE_BYTES_PER_BAND = 20  # the float32 input and its read-ahead copies, per band
DEFAULT_BUDGET_MIB = 512  # MEMORY_BUDGET's default (the Processing setting's)
MIN_BUDGET_MIB = 16
MAX_AUTO_WINDOW = 512
MAX_TILE = 8192
BAND_BUDGET = 64 << 20  # bytes of one strip's row band (sums, weights, invalid)
MAX_AUTO_BATCH = 16
MEMINFO = "/proc/meminfo"
FREE_RAM_SHARE = 0.5  # of MemAvailable an automatic batch may use on a CPU
PER_IMAGE_LIMIT = 4096
TRANSFORMS = {"none": 1, "flips": 4, "d4": 8}


@dataclasses.dataclass(frozen=True)
class WindowPlan:
    """How a scene is cut into windows and sent through the network."""

    mode: str  # "stride" | "per_image"
    scene: Tuple[int, int]  # (width, height) of the whole raster
    grid: Window  # the output grid (EXTENT, snapped), scene pixels
    hull: Window  # the windows' union, scene pixels (covers grid)
    window: int  # window side before clipping to the scene
    window_shape: Tuple[int, int]  # (height, width) of every window
    input_shape: Tuple[int, int]  # (height, width) the network sees (padded)
    overlap: int
    stride: int
    divisor: int
    batch: int
    tta: str
    transforms: int
    n_windows: int  # windows to read (empty ones are skipped when read)
    skipped: int  # windows of the scene grid outside EXTENT
    budget_bytes: int
    memory_bytes: int  # estimate: activations + row band + read-ahead queue
    label_cell: int  # side of a "label next" cell (the model's training tile)
    choices: Tuple[Tuple[str, str], ...]  # (value, "auto"/"set") of window/overlap/batch
    xs: Tuple[int, ...] = ()  # window columns (scene pixels), in order
    ys: Tuple[int, ...] = ()  # window rows
    # (x0, x1, j0, j1): a strip owns scene columns x0..x1 and reads windows xs[j0:j1]
    strips: Tuple[Tuple[int, int, int, int], ...] = ()

    def strip_windows(self):
        """``(strip index, window)`` in reading order: strip by strip, then row
        by row (scene pixels). A window is listed once per strip it touches."""
        h, w = self.window_shape
        for k, (_x0, _x1, j0, j1) in enumerate(self.strips):
            for y in self.ys:
                for x in self.xs[j0:j1]:
                    yield k, Window(x, y, w, h)

    def windows(self):
        """The windows to read, in order (see :meth:`strip_windows`)."""
        for _, window in self.strip_windows():
            yield window

    @property
    def n_reads(self):
        """Windows read, counting a window once per strip it touches."""
        return sum(j1 - j0 for _, _, j0, j1 in self.strips) * len(self.ys)

    def strip_band(self, k):
        """``(left, width)``: the hull columns that strip ``k``'s windows cover."""
        left, width = strip_extent(self.xs, self.window_shape[1], self.strips[k])
        return left - self.hull.x, width

    def log(self, progress):
        how = dict(self.choices)
        progress.info(
            "Plan: {mode} mode, {n_windows} window(s) of {win_w} x {win_h} pixels "
            "(window {window} {window_how}, network input {input_w} x {input_h}), overlap "
            "{overlap} ({overlap_how}), batch {batch} ({batch_how}), test-time augmentation "
            "{tta} ({transforms} pass(es)), {skipped} window(s) outside the extent skipped; "
            "memory estimate {memory_mb} MiB of a {budget_mb} MiB budget.",
            mode=self.mode, n_windows=self.n_windows, win_w=self.window_shape[1],
            win_h=self.window_shape[0], window=self.window, window_how=how["window"],
            input_w=self.input_shape[1], input_h=self.input_shape[0], overlap=self.overlap,
            overlap_how=how["overlap"], batch=self.batch, batch_how=how["batch"],
            tta=self.tta, transforms=self.transforms, skipped=self.skipped,
            memory_mb=self.memory_bytes >> 20, budget_mb=self.budget_bytes >> 20)
        if len(self.strips) > 1:
            progress.info("The scene is predicted in {n_strips} vertical strips so that memory "
                          "stays the same however wide it is; {extra} window(s) on strip "
                          "edges are predicted twice.", n_strips=len(self.strips),
                          extra=self.n_reads - self.n_windows)

    def lower_batch(self, free_bytes, bands=1):
        """The same plan with an automatic batch lowered (never raised) so that
        its windows fit ``free_bytes`` (None: unknown, unchanged). The output
        does not depend on the batch."""
        if not free_bytes or dict(self.choices)["batch"] != "auto":
            return self
        per = window_bytes(self.input_shape, bands)
        batch = int(max(1, min(self.batch, int(free_bytes) // max(per, 1))))
        return self if batch == self.batch else dataclasses.replace(self, batch=batch)


def _input_pixels(shape):
    return int(shape[0]) * int(shape[1])


def round_up(n, k):
    return int(math.ceil(n / k) * k)


def window_bytes(shape, n_bands):
    """Estimated bytes of one window of a batch: activations, the input and its
    read-ahead copies."""
    return _input_pixels(shape) * (BYTES_PER_PIXEL + QUEUE_BYTES_PER_BAND * int(n_bands))


def budget_bytes(mib=None):
    """The memory budget in bytes of ``mib`` MiB (None or 0: the default); an
    InputError naming MEMORY_BUDGET for a bad value."""
    if mib in (None, "", 0):
        return DEFAULT_BUDGET_MIB << 20
    try:
        value = float(mib)
    except (TypeError, ValueError):
        value = float("nan")
    if not value >= MIN_BUDGET_MIB:
        raise InputError("MEMORY_BUDGET must be 0 (the default, {default} MiB) or at least "
                         "{minimum} MiB, not {value}.", default=DEFAULT_BUDGET_MIB,
                         minimum=MIN_BUDGET_MIB, value=repr(mib))
    return int(value * (1 << 20))


def available_memory(meminfo=None):
    """Bytes of RAM available now (MemAvailable), None when unknown. Only the
    run uses it, to lower an automatic batch; never the plan."""
    try:
        with open(meminfo or MEMINFO, encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def divisor_of(meta):
    """The network's required input divisor (its total stride)."""
    value = meta.get("required_divisor")
    if value:
        return int(value)
    try:
        return int(catalog.required_divisor(meta.get("model"), meta.get("encoder"),
                                            int(meta.get("output_stride") or 16)))
    except (ValueError, TypeError, ImportError):
        return 32


def has_image_context(meta):
    """True for networks whose prediction depends on the whole window (global pooling)."""
    return catalog.has_image_context(str(meta.get("model") or ""))


def fixed_window(meta):
    """The one window side the network takes (an ONNX file in the Deepness
    layout: its tile size), or 0 when any multiple of the divisor will do."""
    onnx = meta.get("onnx")
    size = onnx.get("tile_size") if isinstance(onnx, dict) else None
    return int(size) if size else 0


def auto_overlap(tile, divisor, margin=catalog.DEFAULT_CONTEXT_MARGIN):
    """The default overlap: ``margin`` rounded up to ``divisor``, at most half a window."""
    overlap = round_up(max(1, margin), divisor)
    half = (tile // 2) // divisor * divisor
    return max(0, min(overlap, half))


def _int(value, name):
    if value is None:
        return AUTO
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InputError("{name} must be a whole number, not {value}.",
                         name=name, value=repr(value)) from None
    if number != value and not isinstance(value, str):
        raise InputError("{name} must be a whole number, not {value}.",
                         name=name, value=repr(value))
    return number


@dataclasses.dataclass(frozen=True)
class PlanRequest:
    """What a plan is made from: the model file's metadata, the scene and the
    user's values as given (0 or None = auto; :func:`make_plan` checks them)."""

    meta: dict  # modelfile.read_metadata
    scene: Tuple[int, int]  # (width, height) of the whole raster
    grid: Window  # the output grid (EXTENT, snapped), scene pixels
    n_bands: int
    n_classes: int
    mode: str = "stride"  # "stride" | "per_image"
    tile_size: object = AUTO  # TILE_SIZE
    overlap: object = AUTO  # OVERLAP
    batch_size: object = AUTO  # BATCH_SIZE
    tta: str = "none"
    budget: Optional[int] = None  # bytes (MEMORY_BUDGET); None = the default


def make_plan(request):
    """The :class:`WindowPlan` for a :class:`PlanRequest`. InputError naming the
    parameter for a bad value, or TILE_SIZE and BATCH_SIZE for a plan whose
    memory estimate exceeds the budget."""
    request = _checked(request)
    divisor = divisor_of(request.meta)
    if request.mode == "per_image":
        plan = _per_image_plan(request, divisor)
    else:
        tile = _stride_window(request, divisor)
        overlap = _stride_overlap(request, tile, divisor)
        plan = _stride_plan(request, divisor, tile, overlap)
    if plan.memory_bytes > plan.budget_bytes:
        raise InputError(
            "The plan needs about {memory_mb} MiB, more than the memory budget of "
            "{budget_mb} MiB: lower TILE_SIZE (window {window} pixels) or BATCH_SIZE "
            "(batch {batch}), or raise MEMORY_BUDGET.",
            memory_mb=-(-plan.memory_bytes >> 20), budget_mb=plan.budget_bytes >> 20,
            window=plan.window, batch=plan.batch)
    return plan


def _checked(request):
    """``request`` with whole-number sizes and a budget in bytes, or InputError."""
    options.check("predict_mode", request.mode, "MODE")
    options.check("tta", request.tta, "TTA")
    tile_size = _int(request.tile_size, "TILE_SIZE")
    overlap = _int(request.overlap, "OVERLAP")
    batch_size = _int(request.batch_size, "BATCH_SIZE")
    divisor = divisor_of(request.meta)
    if tile_size < 0 or (tile_size and not divisor <= tile_size <= MAX_TILE):
        raise InputError("TILE_SIZE must be 0 (auto) or {divisor}..{max_tile} pixels (the "
                         "network needs multiples of {divisor}), not {tile_size}.",
                         divisor=divisor, max_tile=MAX_TILE, tile_size=tile_size)
    if batch_size < 0:
        raise InputError("BATCH_SIZE must be 0 (auto) or positive, not {batch_size}.",
                         batch_size=batch_size)
    if overlap < 0:
        raise InputError("OVERLAP must be 0 (auto) or positive, not {overlap}.",
                         overlap=overlap)
    fixed = fixed_window(request.meta)
    if fixed and tile_size not in (AUTO, fixed):
        raise InputError("The model takes windows of {fixed} x {fixed} pixels only (an ONNX "
                         "file with a fixed tile size); set TILE_SIZE to 0 (auto) or {fixed}, "
                         "not {tile_size}.", fixed=fixed, tile_size=tile_size)
    return dataclasses.replace(request, tile_size=tile_size, overlap=overlap,
                               batch_size=batch_size,
                               budget=int(request.budget or budget_bytes()))


def _scene(request):
    return int(request.scene[0]), int(request.scene[1])


def _trained_tile(request):
    """The model's training tile (512 when its metadata does not say)."""
    return int(request.meta.get("tile_size") or 512)


def _bytes_per_pixel(request):
    """Estimated bytes per input pixel of a batch: activations, the input and
    its read-ahead copies (:func:`window_bytes`)."""
    return BYTES_PER_PIXEL + QUEUE_BYTES_PER_BAND * request.n_bands


def _band_budget(request):
    """Bytes a strip's row band may take: a quarter of the budget, at most
    :data:`BAND_BUDGET`."""
    return max(1, min(BAND_BUDGET, request.budget // 4))


def _plan(request, divisor, **fields):
    """A :class:`WindowPlan` with the fields every mode fills the same way."""
    transforms = TRANSFORMS[request.tta]
    choices = (("window", "set" if request.tile_size else "auto"),
               ("overlap", "set" if request.overlap else "auto"),
               ("batch", "set" if request.batch_size else "auto"))
    return WindowPlan(mode=request.mode, scene=_scene(request), grid=request.grid,
                      divisor=divisor, tta=request.tta, transforms=transforms,
                      budget_bytes=request.budget,
                      label_cell=max(1, _trained_tile(request)), choices=choices,
                      **fields)


def _per_image_plan(request, divisor):
    """The whole grid as one window of the model's tile (at most
    :data:`PER_IMAGE_LIMIT` pixels a side)."""
    grid = request.grid
    if max(grid.width, grid.height) > PER_IMAGE_LIMIT:
        raise InputError(
            "The scene ({width} x {height} pixels) is too large for per-image mode (at "
            "most {per_image_limit} pixels a side); use stride mode.",
            width=grid.width, height=grid.height, per_image_limit=PER_IMAGE_LIMIT)
    transforms = TRANSFORMS[request.tta]
    bpp = _bytes_per_pixel(request)
    tile = fixed_window(request.meta) or max(
        divisor, round_up(request.tile_size or _trained_tile(request), divisor))
    batch = request.batch_size or max(1, min(transforms,
                                             request.budget // (tile * tile * bpp)))
    return _plan(request, divisor, hull=grid, window=tile, window_shape=(tile, tile),
                 input_shape=(tile, tile), overlap=0, stride=tile, batch=int(batch),
                 n_windows=1, skipped=0,
                 memory_bytes=int(min(batch, transforms) * tile * tile * bpp),
                 xs=(0,), ys=(0,), strips=((grid.x, grid.x + grid.width, 0, 1),))


def _stride_window(request, divisor):
    """The window side (see the module docstring)."""
    fixed = fixed_window(request.meta)
    trained = _trained_tile(request)
    if fixed:
        return fixed
    if request.tile_size:
        return round_up(request.tile_size, divisor)
    if has_image_context(request.meta):
        return max(divisor, round_up(trained, divisor))
    # As large as the budget allows for a batch of one, not beyond the scene.
    room = max(0, request.budget - _band_budget(request))
    side = int(math.sqrt(room / _bytes_per_pixel(request))) // divisor * divisor
    needed = round_up(max(_scene(request)), divisor)
    tile = max(round_up(trained, divisor), min(side, MAX_AUTO_WINDOW, needed))
    return max(divisor, tile)


def _stride_overlap(request, tile, divisor):
    """The user's overlap, checked against ``tile``, or the automatic one."""
    if request.overlap:
        if request.overlap >= tile:
            raise InputError("OVERLAP must be 0 (auto) or 1..{max_overlap} pixels for a "
                             "{tile}-pixel window, not {overlap}.",
                             max_overlap=tile - 1, tile=tile, overlap=request.overlap)
        return request.overlap
    if has_image_context(request.meta):
        return auto_overlap(tile, divisor, tile // 4)
    return auto_overlap(tile, divisor, catalog.context_margin(str(request.meta.get("model")
                                                                   or "")))


def _input_shape(request, divisor, win_h, win_w):
    """(height, width) the network sees: the window padded to the divisor (the
    fixed tile of a Deepness-layout file; square for d4 rotations)."""
    fixed = fixed_window(request.meta)
    shape = (fixed, fixed) if fixed else (round_up(win_h, divisor), round_up(win_w, divisor))
    if request.tta == "d4" and shape[0] != shape[1]:  # rotations need a square input
        shape = (max(shape), max(shape))
    return shape


def _window_starts(request, tile, stride, win_w, win_h):
    """``(xs, ys, skipped)``: the scene grid's window columns and rows that
    touch the output grid, and how many windows of the scene grid do not."""
    width, height = _scene(request)
    grid = request.grid
    all_xs = raster.axis_starts(width, tile, stride)
    all_ys = raster.axis_starts(height, tile, stride)
    xs = tuple(x for x in all_xs if x < grid.x + grid.width and x + win_w > grid.x)
    ys = tuple(y for y in all_ys if y < grid.y + grid.height and y + win_h > grid.y)
    return xs, ys, len(all_xs) * len(all_ys) - len(xs) * len(ys)


def _stride_plan(request, divisor, tile, overlap):
    """The windows, batch, strips and memory estimate for ``tile`` and ``overlap``."""
    width, height = _scene(request)
    stride = tile - overlap
    win_w, win_h = min(tile, width), min(tile, height)
    shape = _input_shape(request, divisor, win_h, win_w)
    xs, ys, skipped = _window_starts(request, tile, stride, win_w, win_h)
    n_windows = len(xs) * len(ys)
    hull = Window(xs[0], ys[0], xs[-1] + win_w - xs[0], ys[-1] + win_h - ys[0])
    per_window = window_bytes(shape, request.n_bands)
    row_bytes = win_h * (4 * max(1, int(request.n_classes)) + 5)
    strips = make_strips(xs, win_w, hull, row_bytes, _band_budget(request))
    band_bytes = row_bytes * max(strip_extent(xs, win_w, strip)[1] for strip in strips)
    if request.batch_size:
        batch = request.batch_size
    else:
        batch = max(1, min(MAX_AUTO_BATCH, (request.budget - band_bytes) // per_window))
    batch = int(max(1, min(batch, n_windows * TRANSFORMS[request.tta])))
    memory = batch * per_window + band_bytes
    return _plan(request, divisor, hull=hull, window=tile, window_shape=(win_h, win_w),
                 input_shape=shape, overlap=overlap, stride=stride, batch=batch,
                 n_windows=n_windows, skipped=skipped, memory_bytes=int(memory),
                 xs=xs, ys=ys, strips=strips)


def make_strips(xs, win_w, hull, row_bytes, budget=None):
    """The strips of a hull (see the module docstring): ``((x0, x1, j0, j1), ...)``,
    one strip when a row band over the whole hull fits ``budget``."""
    max_width = max(win_w, int(budget or BAND_BUDGET) // max(int(row_bytes), 1))
    if hull.width <= max_width:
        return ((hull.x, hull.x + hull.width, 0, len(xs)),)
    step = max(win_w, max_width - 2 * win_w)
    strips = []
    for x0 in range(hull.x, hull.x + hull.width, step):
        x1 = min(x0 + step, hull.x + hull.width)
        touching = [j for j, x in enumerate(xs) if x < x1 and x + win_w > x0]
        strips.append((x0, x1, touching[0], touching[-1] + 1))
    return tuple(strips)


def strip_extent(xs, win_w, strip):
    """``(x, width)`` in scene pixels of the windows ``xs[j0:j1]`` of ``strip``."""
    _x0, _x1, j0, j1 = strip
    return xs[j0], xs[j1 - 1] + win_w - xs[j0]


def describe_tile(plan: Optional[WindowPlan]):
    """``{"window", "overlap", "batch", ...}``: the plan's facts for a result dict."""
    if plan is None:
        return {}
    return {"mode": plan.mode, "window": plan.window, "overlap": plan.overlap,
            "batch": plan.batch, "divisor": plan.divisor, "tta": plan.tta,
            "input_shape": list(plan.input_shape), "windows_planned": plan.n_windows,
            "strips": len(plan.strips), "windows_outside_extent": plan.skipped,
            "memory_estimate": plan.memory_bytes, "memory_budget": plan.budget_bytes,
            "choices": dict(plan.choices)}


def describe_plan(plan):
    """The plan's description as JSON text (the class raster's ``SEMSEG_PLAN``
    metadata item): the same on every machine for the same inputs and parameters."""
    return json.dumps(describe_tile(plan), sort_keys=True, separators=(",", ":"))
