"""The segmentation engine: plain functions over file paths and arrays.

Never imports qgis. Its folders are its layers; each imports only those below
it (tests/test_code_rules.py checks this, and that no import cycle exists):

  top level  <-  formats  <-  data  <-  train | predict | evaluate  <-  runtime

Two kinds of module (checked by the tests: the plugin's own modules import no
TensorFlow, tests/test_code_rules.py; a stock QGIS loads the plugin with its
own Python, tests/test_stock_qgis.py):

- TensorFlow-free modules import only the standard library, NumPy and GDAL
  (and ``models.catalog``, plain data). QGIS's process may import them:
  the algorithms run tiling, colour maps, metrics and reports in-process and
  read dataset descriptions and model metadata to check inputs early.
- The others need the engine's own Python (its venv): they run only in the
  worker process (``python -m <package>.engine JOB.json``, runtime/worker.py).
  Marked below: "TF" = TensorFlow/Keras, imported inside the functions that
  need them, except those marked "Keras at import", which only modules
  running inside a job import.

The subpackages' ``__init__.py`` import nothing: QGIS imports
``predict.drift`` and ``formats.modelfile`` and must not pull Keras in.
docs/architecture.md tells the same story at more length.

Map (one module, one idea):

Top level: what every layer uses
    errors                 InputError, Cancelled: messages as template + values
    progress               Progress: fraction (with extras such as training's
                           epoch), cancel, log lines and warnings as Messages;
                           GdalProgress
    options                the choices of every option-like parameter (names,
                           labels)
    jsonable               plain JSON values from numpy; a translatable
                           message's JSON fields
    outputs                outputs that appear only when complete (partial files)
    devices                the machine's NVIDIA GPUs as the driver reports them
                           (nvidia-smi), no framework imported
    backends               the Keras backend a job runs on (the Engine backend
                           setting, KERAS_BACKEND) and each backend's devices
    tensorflow_only        what only TensorFlow does (TF, imported inside its functions;
                           importers import it inside theirs): its GPUs and version; a
                           model's tf.function, GPU memory growth, threads, tf.distribute
                           strategies: InputError on another Keras backend
formats: one owner per file format
    formats/dataset_files  dataset.json and the split files: read, version
                           check, merge, write
    formats/modelfile      the model file: metadata read/write (no TF); load/save (TF)
    formats/onnx_backend   ONNX Runtime inference (onnxruntime); an ONNX file's
                           metadata read with the standard library
data: rasters, vectors, chips
    data/raster            GDAL windows: open, window generators, read, write, warp
    data/sources           raster sources at a ground resolution: files, VRTs,
                           web layers
    data/vectorize         QGIS-style vector paths (which layer of a file), polygonize
    data/splits            spatially separated train/validation splits
    data/labels            colour <-> index label rasters, colour maps
    data/tiling            scenes and labels -> chips (Tile Dataset)
    data/chips             one scene's chips: read a window, write image and label
                           chips, keep band sums and class counts
    data/footprints        where a model was trained: its training chips' boxes by
                           CRS (model and class-raster metadata); the share of a
                           raster that lies there (Evaluate's warning)
    data/sample            the shipped sample (resources/sample): copy it, the
                           first run's hold-out windows (VRTs)
    data/dataset           DatasetInfo (``read_info``), chips decoded in memory or to
                           memory-mapped .npy files (NumPy, GDAL)
    data/augment           Train Model's augmentation in NumPy: flips, rotations,
                           zoom; draws seeded by (run seed, batch number)
    data/batches           Keras at import: shuffled, augmented batches as a
                           PyDataset, the same on every backend
train: Train Model
    train/training         params, plan (``prepare``: no TF), the job (run_job, train)
    train/fit              Keras at import: the fit, resume checkpoint, save, metadata
    train/callbacks        Keras at import: progress, best epoch, early stop, TensorBoard
    train/event_files      TensorBoard event files (scalars) with the standard library
                           only: every Keras backend logs
    train/train_metrics    Keras at import (keras.ops, any backend): validation mean IoU
                           and pixel accuracy
    train/distribute       Keras at import: a tf.distribute strategy on TensorFlow, one
                           device on PyTorch and JAX, chief, virtual CPUs, mixed precision
    train/losses           Keras at import (keras.ops, any backend): segmentation losses
    train/schedules        Keras at import (keras.ops, any backend): learning-rate schedules
    train/training_logs    history JSON, HTML page; curves PNG (matplotlib, engine venv)
predict: Predict Raster, Export Model
    predict/window_plan    window, overlap, batch and memory plan (no TF)
    predict/prediction     Predict Raster: checks, the plan, the run's steps in order
    predict/stride         stride mode: reader thread, windows blended into row bands
    predict/per_image      per-image mode: the whole image resampled to one window
    predict/output_rasters class, probability, confidence and entropy rasters; overviews
    predict/label_next     "label next": the most uncertain cells as ranked polygons
    predict/predictors     the network call behind one seam (Keras on any backend, or
                           ONNX Runtime)
    predict/blending       blending overlapping window predictions
    predict/distributed    Predict Raster's blocks on a Dask cluster (distributed, in the
                           worker process only): block tasks, assembled pixel for pixel
    predict/scenes         Predict Scenes: one model over many scenes, outputs named after
                           each in one folder (one process or a Dask cluster)
    predict/drift          does a scene look like the training data? (warnings)
    predict/onnx_export    a model file as a standalone ONNX file (Keras's export:
                           tf2onnx on TensorFlow; onnx)
evaluate: Evaluate
    evaluate/metrics       confusion matrices and scores
    evaluate/area          map accuracy and class areas from a reference sample
    evaluate/report        CSV, JSON and HTML reports
runtime: the process around a job
    runtime/worker         the worker process: one job, JSON lines out
    runtime/status         the engine's self-check (``--status``: imports TF,
                           in a child)
    runtime/environment    the engine's own venv: find Python, create, pip-install
"""
