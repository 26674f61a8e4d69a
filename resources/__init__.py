"""Data files read with importlib.resources: guide content, device signatures, icons."""
