"""Errors the engine raises. Messages name the file, band or value at fault.

A message is a ``str.format`` template with named fields plus their values::

    raise InputError("The {role} file {path} does not exist.", role=role, path=path)

``str(exc)`` is the English text; ``exc.template`` and ``exc.values`` let the
plugin translate the template (Qt's ``tr``) and fill in the same values. The
template is a plain string literal, the first argument, so
``scripts/i18n.py`` finds it for the translators.
"""


def format_message(template, values):
    """``template.format(**values)``, or the template itself if it cannot be filled.

    A template without values is also taken as plain text when its braces do
    not form fields (e.g. a message passed on from another library).
    """
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return template


class SegError(Exception):
    """Base class: a problem the user can fix (bad input, wrong file...)."""

    def __init__(self, template="", /, **values):
        self.template = str(template)
        self.values = values
        super().__init__(format_message(self.template, values))


class InputError(SegError):
    """An input file, layer or parameter value cannot be used."""


class Cancelled(SegError):
    """The user cancelled the run."""

    def __init__(self, template="Cancelled by the user.", /, **values):
        super().__init__(template, **values)


def cancel_behind(exc):
    """The Cancelled that ``exc`` was raised from or while handling, if any.

    The worker raises Cancelled asynchronously (from a signal handler), so it
    can land inside library code that wraps whatever it catches: TensorFlow
    turns it into ``TypeError: Binding inputs to tf.function failed due to
    `Cancelled by the user.```. The chain of causes still holds it.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Cancelled):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None
