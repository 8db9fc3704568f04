"""Train Model: the plan, the Keras fit with its callbacks, metrics, losses and
schedules, and the logs. Depends on the top level, formats and data.

Imports nothing: importing a module of this package must not pull in others."""
