"""Errors the engine raises. Messages name the file, band or value at fault."""


class SegError(Exception):
    """Base class: a problem the user can fix (bad input, wrong file...)."""


class InputError(SegError):
    """An input file, layer or parameter value cannot be used."""


class Cancelled(SegError):
    """The user cancelled the run."""

    def __init__(self, message="Cancelled by the user."):
        super().__init__(message)
