# One way to hash a sequence of parts, for every key the build keeps between runs (the build
# cache's, cache.py, and the leak guard's clean windows, guard.py). Each part is
# length-prefixed, so ("ab", "c") and ("a", "bc") differ. Text is UTF-8, lone surrogates
# included (a slice of a JSON export can end inside an escaped pair).
from __future__ import annotations

import hashlib


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "big"))
        h.update(raw)
    return h.hexdigest()
