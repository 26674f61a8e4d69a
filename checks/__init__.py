"""SafeSpace's Qt-free core: every check a user can run, callable from the CLI and the GUI."""

__version__ = "0.1.0"
