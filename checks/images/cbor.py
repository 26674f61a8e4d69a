"""A small CBOR reader (RFC 8949) for untrusted data: bounded depth, item count and sizes.

Only reading is needed (C2PA claims and assertions). Tags are unwrapped to the value they carry; simple
values other than true, false and null become None; map keys that cannot be dictionary keys become text.
"""

from __future__ import annotations

import struct
from typing import Any

MAX_DEPTH = 32
MAX_ITEMS = 200_000


class CborError(ValueError):
    """The data is not CBOR this reader accepts (damaged, too deep or too large)."""


class _Reader:
    def __init__(self, data: bytes, max_items: int) -> None:
        self.data = data
        self.pos = 0
        self.items = 0
        self.max_items = max_items

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise CborError("runs past the end")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def head(self) -> tuple[int, int, int | None]:
        """(major type, additional info, argument); argument None for an indefinite length."""
        (byte,) = self.take(1)
        major, info = byte >> 5, byte & 0x1F
        if info < 24:
            return major, info, info
        if info <= 27:
            return major, info, int.from_bytes(self.take(1 << (info - 24)), "big")
        if info == 31 and major in (2, 3, 4, 5, 7):
            return major, info, None
        raise CborError("reserved additional information")

    def item(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise CborError("nested too deeply")
        self.items += 1
        if self.items > self.max_items:
            raise CborError("too many items")
        major, info, arg = self.head()
        if major == 0:
            return arg
        if major == 1:
            return -1 - (arg or 0)
        if major in (2, 3):
            raw = self.take(arg) if arg is not None else self.chunks(major)
            return raw if major == 2 else raw.decode("utf-8", "replace")
        if major == 4:
            if arg is None:
                out = []
                while not self.at_break():
                    out.append(self.item(depth + 1))
                return out
            self.fits(arg)
            return [self.item(depth + 1) for _ in range(arg)]
        if major == 5:
            result: dict[Any, Any] = {}
            count = arg
            if count is not None:
                self.fits(2 * count)
            while (count is None and not self.at_break()) or (count is not None and count > 0):
                key = self.item(depth + 1)
                try:
                    hash(key)
                except TypeError:
                    key = repr(key)[:200]
                result[key] = self.item(depth + 1)
                if count is not None:
                    count -= 1
            return result
        if major == 6:
            return self.item(depth + 1)  # a tag: the value it carries
        if arg is None:
            raise CborError("a break where no item should be")
        if info == 25:
            return struct.unpack(">e", arg.to_bytes(2, "big"))[0]
        if info == 26:
            return struct.unpack(">f", arg.to_bytes(4, "big"))[0]
        if info == 27:
            return struct.unpack(">d", arg.to_bytes(8, "big"))[0]
        return {20: False, 21: True}.get(arg)

    def fits(self, count: int) -> None:
        """Every item takes at least a byte: a count larger than what is left is a lie, refused early."""
        if count > len(self.data) - self.pos:
            raise CborError("more items than bytes")

    def at_break(self) -> bool:
        if self.pos >= len(self.data):
            raise CborError("runs past the end")
        if self.data[self.pos] == 0xFF:
            self.pos += 1
            return True
        return False

    def chunks(self, major: int) -> bytes:
        out = bytearray()
        while not self.at_break():
            m, _, arg = self.head()
            if m != major or arg is None:
                raise CborError("a bad piece of an indefinite string")
            out += self.take(arg)
        return bytes(out)


def loads(data: bytes, max_items: int = MAX_ITEMS) -> Any:
    """The first CBOR item in data. Raises CborError for anything damaged, too deep or too large."""
    try:
        return _Reader(bytes(data), max_items).item(0)
    except (struct.error, OverflowError) as e:
        raise CborError(str(e)) from e
