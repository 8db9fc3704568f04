"""Progress reporting and cancellation, without QGIS.

Engine functions take ``progress``: either ``None`` or a :class:`Progress`.
A Progress wraps a callback in the GDAL idiom ``callback(fraction) -> bool``
(``False`` means: cancel) and an optional ``log(message)`` function, which
gets a :class:`Message`: the English text (a ``str``) that also carries its
``template`` and ``values`` so a listener can translate it. A long
loop calls ``progress(i / n)``; when the callback asks to stop, the call
raises :class:`~.errors.Cancelled`, so loops stop promptly and cleanup code in
``finally`` blocks runs.

A report may carry structured extras: training says ``progress(fraction,
step=..., epoch=..., metrics={...})``. They reach the callback as keyword
arguments (``callback(fraction, **extra)``), so a callback for a job that
reports them takes ``**extra``; the worker writes them into its progress line.
"""

from .errors import Cancelled, format_message


class Message(str):
    """A log line: the formatted English text, plus ``template`` and ``values``."""

    template = ""
    values = {}
    level = "info"

    def __new__(cls, template, values=None, level="info"):
        values = dict(values or {})
        text = super().__new__(cls, format_message(str(template), values))
        text.template = str(template)
        text.values = values
        text.level = level
        return text


class Progress:
    """Reports a fraction of work done, mapped onto ``[start, end]``."""

    def __init__(self, callback=None, log=None, start=0.0, end=1.0):
        self._callback = callback
        self._log = log
        self.start = float(start)
        self.end = float(end)

    def __call__(self, fraction, /, **extra):
        """Report ``fraction`` (0..1) of this range, with any ``extra`` facts
        (passed on to the callback as keyword arguments); raise Cancelled on
        request."""
        fraction = min(max(float(fraction), 0.0), 1.0)
        value = self.start + (self.end - self.start) * fraction
        if self._callback is not None and self._callback(value, **extra) is False:
            raise Cancelled()

    def check(self):
        """Raise Cancelled if the user asked to stop, without moving the bar.

        The callback is called with ``None`` for such a query.
        """
        if self._callback is not None and self._callback(None) is False:
            raise Cancelled()

    def sub(self, start, end):
        """A Progress covering ``[start, end]`` of this one (fractions of it)."""
        span = self.end - self.start
        return Progress(self._callback, self._log,
                        self.start + span * start, self.start + span * end)

    def info(self, template, /, **values):
        """Pass a line of log text to whoever is listening.

        ``template`` is a ``str.format`` template with named fields filled from
        ``values`` (``progress.info("Reading {n} chips...", n=n)``); plain text
        without values works too. The log function gets a :class:`Message`.
        """
        if self._log is not None:
            self._log(Message(template, values))

    def relay(self, message, level="info"):
        """Pass on a message made elsewhere (a SegError or Message, which carries
        its template and values) as a log line of ``level``."""
        if self._log is not None:
            self._log(Message(getattr(message, "template", str(message)),
                              getattr(message, "values", {}), level=level))

    def warning(self, template, /, **values):
        """Like :meth:`info`, for something the user should look at (the
        :class:`Message`'s ``level`` is "warning"; QGIS shows it as a warning)."""
        if self._log is not None:
            self._log(Message(template, values, level="warning"))


def ensure(progress):
    """``progress`` itself, or a silent Progress when it is None."""
    return progress if progress is not None else Progress()


class GdalProgress:
    """A GDAL progress callback over a Progress (for part of its range, pass
    ``progress.sub(start, end)``).

    A Cancelled raised inside a GDAL callback would be lost in the C layer:
    it is kept, GDAL is told to stop, and :meth:`reraise` raises it after the
    call returns.
    """

    def __init__(self, progress):
        self.progress = progress
        self.error = None

    def __call__(self, fraction, *_args):
        try:
            self.progress(fraction)
        except Cancelled as exc:
            self.error = exc
            return 0
        return 1

    def reraise(self):
        if self.error is not None:
            raise self.error
