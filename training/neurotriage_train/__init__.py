"""NeuroTriage training: PyTorch optimisation loop and ONNX export.

TypeScript prepares every array (see ``training/README.md``); this package reads them,
augments, optimises a residual 3-D U-Net, and exports ONNX plus a model card.
"""

from .requirements import require

require("numpy", "torch")

__all__ = ["__version__"]

__version__ = "0.1.0"
