"""Plain JSON values from numpy scalars and arrays (``json.dumps(default=...)``)."""


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
