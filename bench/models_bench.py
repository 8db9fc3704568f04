"""Parameter count and CPU forward throughput of every decoder.

For each decoder with its default encoder (at the pair's default width, 3 bands, 2 classes,
output stride 16), prints a markdown table: parameters and megapixels per
second of inference on 256x256 batches. Usage:

    python bench/models_bench.py [--batch 2] [--iterations 3] [--output bench/results/models.md]
"""

import argparse
import os
import platform
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _import_package():
    """Import the repository as ``semantic_segmentation`` (as tests do)."""
    import benchlib

    benchlib.import_plugin()
    from semantic_segmentation.models import catalog, registry

    return catalog, registry


def measure(registry, decoder, encoder, size, batch, iterations, output_stride, width=1.0):
    """Return (parameters, megapixels per second) for one model."""
    import keras
    import numpy as np

    keras.backend.clear_session()
    model = registry.build_model(decoder, encoder, 2, 3, output_stride=output_stride,
                                 width=width)
    x = np.random.default_rng(0).random((batch, size, size, 3), dtype=np.float32)
    model.predict_on_batch(x)  # trace and warm up
    start = time.perf_counter()
    for _ in range(iterations):
        model.predict_on_batch(x)
    seconds = time.perf_counter() - start
    return model.count_params(), batch * size * size * iterations / seconds / 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--output-stride", type=int, default=16)
    parser.add_argument("--output", help="also write the table to this markdown file")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    catalog, registry = _import_package()
    import keras

    lines = [
        "# Model zoo: size and CPU forward throughput",
        "",
        f"{args.size}x{args.size} batches of {args.batch}, 3 bands, 2 classes, "
        f"output stride {args.output_stride}, "
        f"{args.iterations} timed iterations after one warm-up; "
        f"Keras {keras.__version__}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs.",
        "",
        "| decoder | default encoder | width | parameters | MP/s |",
        "|---|---|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    for decoder in catalog.DECODERS:
        encoder = catalog.default_encoder(decoder)
        strides = catalog.output_strides(decoder, encoder)
        stride = args.output_stride if args.output_stride in strides else strides[0]
        width = catalog.default_width(decoder, encoder)
        params, mps = measure(registry, decoder, encoder, args.size, args.batch,
                              args.iterations, stride, width)
        line = f"| {decoder} | {encoder} | {width:g} | {params / 1e6:.2f} M | {mps:.2f} |"
        lines.append(line)
        print(line, flush=True)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
