"""Plain JSON values from numpy scalars and arrays (``json.dumps(default=...)``)."""


def jsonable(value):
    """A JSON-serialisable stand-in for ``value`` (numpy scalar, array, other)."""
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
