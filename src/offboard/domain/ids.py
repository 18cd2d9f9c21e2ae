"""Record ids: version 4 UUIDs as text."""

from __future__ import annotations

import os


def new_id() -> str:
    """A new random id: a version 4 UUID as text, as `str(uuid.uuid4())` makes it."""
    return uuid4_text(int.from_bytes(os.urandom(16), "big"))


# The bits `uuid.UUID(int=..., version=4)` sets: the RFC 4122 variant and version 4.
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


def uuid4_text(bits: int) -> str:
    """`str(uuid.UUID(int=bits, version=4))` for 128 random bits, without building the UUID
    object, which costs more than the rest of adding a small record."""
    h = "%032x" % ((bits & _UUID4_CLEAR) | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
