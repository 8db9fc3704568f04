"""Evaluate: confusion matrices, scores, map accuracy and areas, reports.
Depends on the top level, formats and data.

Imports nothing: importing a module of this package must not pull in others."""
