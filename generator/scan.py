# The leak guard as the write stage uses it: one matcher over every secret, built once a build,
# that scans one output file as it is made (so each published byte is read once) and the
# engine's log (generator/guard.py does the reading and matching).
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from generator.guard import BUILD_LOG, Leak, _Matcher, leak_problems, normalise, scan_bytes
from generator.redact import Secret

__all__ = ["Scan", "Scanner", "leak_problems"]

Scan = Callable[[str, bytes], Sequence[Leak]]


class Scanner:
    def __init__(self, secrets: Iterable[Secret]) -> None:
        self._matcher = _Matcher(secrets)

    def file(self, name: str, raw: bytes) -> Sequence[Leak]:
        matcher = self._matcher
        if matcher.empty:
            return ()
        return tuple(Leak(s.record_id, s.field, name)
                     for key in scan_bytes(name, raw, matcher) for s in matcher.by_text[key])

    def log(self, lines: Iterable[str]) -> tuple[Leak, ...]:
        matcher = self._matcher
        return tuple(Leak(s.record_id, s.field, BUILD_LOG)
                     for key in matcher.find(normalise("\n".join(lines)))
                     for s in matcher.by_text[key])
