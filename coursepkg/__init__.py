"""coursepkg: the companion package of *Neural Networks, Derived and Tested*.

Pure numpy, float64, batch-first. One module per topic:

- :mod:`coursepkg.activations` -- activation functions and their derivatives
- :mod:`coursepkg.gradcheck` -- numerical derivatives and gradient checks
- :mod:`coursepkg.losses` -- loss functions and their gradients
- :mod:`coursepkg.optim` -- optimizers with a pure init/step interface
- :mod:`coursepkg.mlp` -- fully connected networks
- :mod:`coursepkg.datasets` -- XOR, digits and toy data
- :mod:`coursepkg.plotting` -- the book's figure style and diagrams (needs matplotlib)
"""
from . import activations, datasets, gradcheck, losses, mlp, optim, plotting

__version__ = "0.1.0"
__all__ = ["activations", "datasets", "gradcheck", "losses", "mlp", "optim", "plotting", "__version__"]
