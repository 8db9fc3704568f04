"""Learning-rate schedules, as registered Keras ``LearningRateSchedule``s.

All are functions of the optimizer step (one step = one batch):

- ``none``: constant ``base``.
- ``power_decay``: ``(base - min_lr) * (1 - step / total) ** power + min_lr``
  (DeepLab's "poly" schedule; ``min_lr`` at the last step).
- ``exp_decay``: ``base * 0.1 ** (step / total)``: one decade down over the
  whole run, never below ``min_lr``.
- ``progressive_drops``: ``base`` divided by 10 after 50 % and again after
  75 % of the steps (``base``, ``base/10``, ``base/100``), never below
  ``min_lr``.
- ``cosine_cycle``: cosine annealing from ``base`` down to ``min_lr`` over
  ``cycle`` steps, restarting at ``base`` every ``cycle`` steps (SGDR warm
  restarts); Train Model's LR_CYCLE is in epochs.

Backend-neutral: ``keras.ops`` only (TensorFlow, JAX, PyTorch; the same
learning rates on each, tests/engine/test_keras_ops_port.py).
"""

import math

import keras
from keras import ops

from .. import options

LR_MODES = tuple(options.names("lr_mode"))


class _Schedule(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, base, min_lr=0.0, total_steps=1):
        self.base = float(base)
        self.min_lr = float(min_lr)
        self.total_steps = max(1, int(total_steps))

    def _progress(self, step):
        step = ops.cast(step, "float32")
        return ops.minimum(step, float(self.total_steps)) / float(self.total_steps)

    def get_config(self):
        return {"base": self.base, "min_lr": self.min_lr, "total_steps": self.total_steps}


@keras.saving.register_keras_serializable(package="semseg")
class PowerDecay(_Schedule):
    """``(base - min_lr) * (1 - step / total) ** power + min_lr``."""

    def __init__(self, base, min_lr=0.0, total_steps=1, power=0.9):
        super().__init__(base, min_lr, total_steps)
        self.power = float(power)

    def __call__(self, step):
        frac = self._progress(step)
        return (self.base - self.min_lr) * ops.power(1.0 - frac, self.power) + self.min_lr

    def get_config(self):
        return {**super().get_config(), "power": self.power}


@keras.saving.register_keras_serializable(package="semseg")
class ExpDecay(_Schedule):
    """``max(min_lr, base * 0.1 ** (step / total))``."""

    def __call__(self, step):
        frac = self._progress(step)
        return ops.maximum(self.base * ops.power(0.1, frac), self.min_lr)


@keras.saving.register_keras_serializable(package="semseg")
class ProgressiveDrops(_Schedule):
    """``base`` divided by ``factor`` at each fraction in ``drops`` of the run."""

    def __init__(self, base, min_lr=0.0, total_steps=1, drops=(0.5, 0.75), factor=10.0):
        super().__init__(base, min_lr, total_steps)
        self.drops = [float(d) for d in drops]
        self.factor = float(factor)

    def __call__(self, step):
        step = ops.cast(step, "float32")
        passed = 0.0
        for d in self.drops:
            passed = passed + ops.cast(step >= d * self.total_steps, "float32")
        return ops.maximum(self.base * ops.power(1.0 / self.factor, passed), self.min_lr)

    def get_config(self):
        return {**super().get_config(), "drops": self.drops, "factor": self.factor}


@keras.saving.register_keras_serializable(package="semseg")
class CosineCycle(_Schedule):
    """Cosine annealing to ``min_lr`` with warm restarts every ``cycle_steps``."""

    def __init__(self, base, min_lr=0.0, total_steps=1, cycle_steps=1):
        super().__init__(base, min_lr, total_steps)
        self.cycle_steps = max(1, int(cycle_steps))

    def __call__(self, step):
        step = ops.cast(step, "float32")
        cycle = float(self.cycle_steps)
        t = (step - ops.floor(step / cycle) * cycle) / cycle
        return self.min_lr + 0.5 * (self.base - self.min_lr) * (1.0 + ops.cos(math.pi * t))

    def get_config(self):
        return {**super().get_config(), "cycle_steps": self.cycle_steps}


def make_schedule(mode, base, total_steps, min_lr=0.0, power=0.9, cycle_steps=None):
    """The learning rate (a float or a schedule) for ``mode`` (one of LR_MODES)."""
    from ..errors import InputError

    if mode in (None, "", "none"):
        return float(base)
    if min_lr > base:
        raise InputError("The minimum learning rate ({min_lr}) is larger than the "
                         "learning rate ({base}).",
                         min_lr=min_lr, base=base)
    if mode == "power_decay":
        return PowerDecay(base, min_lr, total_steps, power)
    if mode == "exp_decay":
        return ExpDecay(base, min_lr, total_steps)
    if mode == "progressive_drops":
        return ProgressiveDrops(base, min_lr, total_steps)
    if mode == "cosine_cycle":
        return CosineCycle(base, min_lr, total_steps, cycle_steps or total_steps)
    raise InputError("Unknown learning-rate mode {mode}; valid modes: {lr_modes}.",
                     mode=repr(mode), lr_modes=", ".join(LR_MODES))
