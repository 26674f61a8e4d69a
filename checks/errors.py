"""Errors a person can act on. Each carries a one-line message written for that person."""


class SafeSpaceError(Exception):
    """Base for errors with a user message. str(error) is the message."""


class NotAnImage(SafeSpaceError):
    """The file is not a picture in a format SafeSpace knows."""


class UnsupportedImage(SafeSpaceError):
    """A picture SafeSpace can recognise but cannot make safe (RAW, PSD, ...)."""


class DamagedImage(SafeSpaceError):
    """The file is cut short or its structure is broken."""


class TooLarge(SafeSpaceError):
    """The file or its picture is too large to handle safely (for example a decompression bomb)."""


class VerificationFailed(SafeSpaceError):
    """A cleaned copy still gave something away or did not match the original picture."""
