"""The Debian packages this package runs on, and a clear error naming the one that is missing.

A missing module must say what to install, not end in a bare ``ModuleNotFoundError``: the
TypeScript side shows the last line of stderr to the user.
"""

from __future__ import annotations

import importlib
from typing import Dict

#: module name -> the Debian package that provides it for /usr/bin/python3
DEBIAN_PACKAGES: Dict[str, str] = {
    "numpy": "python3-numpy",
    "onnx": "python3-onnx",
    "torch": "python3-torch",
}


class MissingPackageError(ImportError):
    """A module this package needs is not importable; the message names its Debian package."""


def missing_package_message(module: str) -> str:
    package = DEBIAN_PACKAGES.get(module, f"python3-{module}")
    return (
        f"Python module '{module}' is missing: install Debian's {package} "
        f"(apt-get install -y {package}) and run with /usr/bin/python3"
    )


def require(*modules: str) -> None:
    """Imports each module, raising :class:`MissingPackageError` for the first one missing."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as e:
            raise MissingPackageError(missing_package_message(module)) from e
