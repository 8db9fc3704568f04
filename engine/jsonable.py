"""Plain JSON values from numpy scalars and arrays (``json.dumps(default=...)``),
JSON files read with an error that names them, and the ``message``/``template``/
``values`` fields that carry a translatable message in the worker protocol."""

import json

from .errors import InputError


def read_file(path, template):
    """The JSON value in the file ``path``; InputError(``template``, path=...,
    error=...) when it cannot be read or parsed."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        raise InputError(template, path=path, error=exc) from None


def jsonable(value):
    """A JSON-serialisable stand-in for ``value``: a numpy array becomes a list, a
    numpy scalar its Python number, anything else its text. (Arrays first: an array
    of more than one element has ``.item()`` too, and it raises.)"""
    if hasattr(value, "tolist") and getattr(value, "ndim", 0):
        return value.tolist()
    if hasattr(value, "item"):
        try:
            return value.item()
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def scalar(value):
    """``value`` as a JSON string, number, bool or None (numpy scalars unwrapped,
    anything else as text): for message values that a translation template formats."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def json_values(values):
    """``values`` with every value a JSON string or number (numpy scalars unwrapped)."""
    return {str(name): scalar(value) for name, value in (values or {}).items()}


def message_fields(message):
    """``message``, ``template`` and ``values`` fields of a line for a SegError or Message."""
    fields = {"message": str(message)}
    template = getattr(message, "template", None)
    if template:
        fields["template"] = template
        fields["values"] = json_values(getattr(message, "values", None))
    return fields


def input_error(fields):
    """The InputError whose :func:`message_fields` are ``fields`` (a message that
    travelled from another process, e.g. a Dask task), translatable as it was."""
    template = fields.get("template") or fields.get("message", "")
    return InputError(template, **(fields.get("values") or {}))
