"""The process around a job: the worker and its JSON-lines protocol, the
self-check, the engine's own environment. May import every other layer.

Imports nothing: importing a module of this package must not pull in others."""
