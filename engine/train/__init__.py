"""Train Model: the training plan, the fit, losses, schedules and logs.
Depends on the top level, formats and data.

Imports nothing: importing a module of this package must not pull in others."""
