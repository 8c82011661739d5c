"""coursepkg: the companion package of *Neural Networks, Derived and Tested*.

Pure numpy, float64, batch-first. One module per topic:

- :mod:`coursepkg.activations` -- activation functions and their derivatives
- :mod:`coursepkg.losses` -- loss functions and their gradients
- :mod:`coursepkg.mlp` -- fully connected networks: forward, back-propagation, training
- :mod:`coursepkg.optim` -- optimizers with a pure init/step interface
- :mod:`coursepkg.gradcheck` -- numerical derivatives and gradient checks
- :mod:`coursepkg.autodiff` -- a tiny scalar reverse-mode automatic differentiation
- :mod:`coursepkg.conv` -- convolution, cross-correlation and their adjoints
- :mod:`coursepkg.cnn` -- convolution, pooling and flatten layers (N, C, H, W)
- :mod:`coursepkg.regularization` -- penalties, dropout and batch normalization
- :mod:`coursepkg.init` -- weight initialization
- :mod:`coursepkg.regions` -- activation patterns and linear regions of ReLU networks
- :mod:`coursepkg.kernels` -- random features and the arc-cosine kernel
- :mod:`coursepkg.symbolic` -- SymPy helpers: expressions and identity checks with a numeric witness (SymPy imported lazily)
- :mod:`coursepkg.datasets` -- XOR, digits and toy data
- :mod:`coursepkg.plotting` -- the book's figure style and diagrams (matplotlib imported lazily)
- :mod:`coursepkg.explore` -- interactive figures that work without a kernel (plotly specs)
- :mod:`coursepkg.practice` -- checks of a student's implementations, with feedback
"""
from . import (activations, autodiff, cnn, conv, datasets, explore, gradcheck, init, kernels, losses, mlp, optim,
               plotting, practice, regions, regularization, symbolic)

__version__ = "0.1.0"
__all__ = ["activations", "autodiff", "cnn", "conv", "datasets", "explore", "gradcheck", "init", "kernels", "losses",
           "mlp", "optim", "plotting", "practice", "regions", "regularization", "symbolic", "__version__"]
