"""SafeSpace's desktop application (PySide6). Imports checks/, never the reverse."""
