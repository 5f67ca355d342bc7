"""KetaRef: an offline clinical reference on ketamine and esketamine for depression."""

__version__ = "0.1.0"
