"""The catalog is plain data that QGIS can import, and it is consistent."""

import ast
import os
import subprocess
import sys

import pytest

from semantic_segmentation.models import catalog

MODELS = os.path.join(os.path.dirname(__file__), "..", "..", "models")


def test_catalog_imports_only_the_standard_library():
    tree = ast.parse(open(os.path.join(MODELS, "catalog.py")).read())
    imported = [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    imported += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert all(name and name.split(".")[0] in sys.stdlib_module_names for name in imported), imported


def test_importing_catalog_does_not_load_keras():
    code = (
        "import sys; from semantic_segmentation.models import catalog; "
        "assert 'keras' not in sys.modules and 'tensorflow' not in sys.modules"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_names_are_the_issue_names():
    assert set(catalog.DECODERS) == {
        "fcn_8s", "fcn_16s", "fcn_32s", "segnet", "unet", "resunet", "mobile_unet", "pspnet",
        "refinenet", "deeplab_v3", "deeplab_v3p", "dense_aspp", "srinet", "icnet",
    }
    generic = {e for e in catalog.ENCODERS if not e.endswith("_native")}
    assert len(generic) == 20 and "mobilenet_v2" in generic and "xception_41" in generic
    assert set(catalog.IMAGENET_ENCODERS) == {
        "mobilenet_v2", "vgg_16", "vgg_19", "densenet_121", "densenet_169", "resnet50_keras",
        "resnet50_v2_keras", "resnet101_v2_keras", "resnet152_v2_keras", "xception_keras",
    }


def test_every_decoder_has_a_compatible_default_encoder():
    for decoder in catalog.DECODERS:
        assert catalog.is_compatible(decoder, catalog.default_encoder(decoder))
        assert catalog.describe(decoder)
    assert catalog.is_compatible(catalog.DEFAULT_DECODER, catalog.DEFAULT_ENCODER)
    for encoder in catalog.ENCODERS:
        assert catalog.describe(encoder)


def test_valid_pairs_match_is_compatible():
    pairs = set(catalog.valid_pairs())
    for decoder in catalog.DECODERS:
        for encoder in catalog.ENCODERS:
            assert ((decoder, encoder) in pairs) == catalog.is_compatible(decoder, encoder)
    assert ("mobile_unet", "vgg_16") not in pairs
    assert ("segnet", "resnet_v2_50") not in pairs
    assert ("deeplab_v3", "unet_native") not in pairs


def test_default_stride_is_offered_and_divisors_are_strides():
    for decoder, encoder in catalog.valid_pairs():
        strides = catalog.output_strides(decoder, encoder)
        assert catalog.DEFAULT_OUTPUT_STRIDE in strides
        for stride in strides:
            assert catalog.required_divisor(decoder, encoder, stride) % stride == 0
    assert catalog.output_strides("segnet", "resnet_v2_50") == []
    with pytest.raises(ValueError):
        catalog.required_divisor("icnet", "resnet_v1_50", 32)


def test_rows_are_consistent():
    assert len(set(catalog.DECODERS + catalog.ENCODERS)) == len(catalog.DECODERS + catalog.ENCODERS)
    for row in catalog.DECODER_ROWS:
        named = list(row.native) + list(row.encoders or ()) + [row.default_encoder]
        named += list(row.widths or ())
        assert set(named) <= set(catalog.ENCODERS), row.name
        assert set(row.strides) <= {8, 16, 32} and row.encoder_input_stride >= 1
    for row in catalog.ENCODER_ROWS:
        assert isinstance(row.kwargs, dict) and isinstance(row.imagenet, bool), row.name


def test_a_native_encoder_belongs_to_its_decoder_only():
    for encoder in ("unet_native", "resunet_native"):
        owners = [d for d in catalog.DECODERS if catalog.is_compatible(d, encoder)]
        assert owners == [encoder[: -len("_native")]]


def test_unknown_names_give_errors_listing_valid_ones():
    with pytest.raises(ValueError, match="unet"):
        catalog.compatible_encoders("unet3000")
    with pytest.raises(ValueError, match="mobilenet_v2"):
        catalog.describe("nope")


def test_every_name_has_a_short_title():
    for name in catalog.DECODERS + catalog.ENCODERS:
        assert catalog.title(name) and catalog.title(name) != name, name
    assert catalog.title("deeplab_v3p") == "DeepLabV3+"
    with pytest.raises(ValueError, match="mobilenet_v2"):
        catalog.title("nope")


@pytest.mark.parametrize("args, parameter", [
    (("unet3000", "vgg_16", None), "MODEL"),
    (("unet", "vgg_3000", None), "ENCODER"),
    (("segnet", "resnet_v2_50", None), "ENCODER"),
    (("unet", "vgg_16", 4), "OUTPUT_STRIDE"),
])
def test_pair_problem_is_a_template_whose_fields_are_its_values(args, parameter):
    import string

    template, values = catalog.pair_problem(*args)
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template)
              if name is not None}
    assert fields == set(values)
    assert parameter in template.format(**values)


def test_pair_problem_is_none_for_every_valid_pair():
    assert all(catalog.pair_problem(d, e, catalog.output_strides(d, e)[0]) is None
               for d, e in catalog.valid_pairs())
