# The leak guard as the write stage uses it: one function that scans one output file as it is
# made, so each published byte is read once (generator/guard.py does the reading and matching).
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from generator.guard import BUILD_LOG, Leak, _Matcher, normalise, scan_bytes
from generator.problems import Problem, SourceRef
from generator.redact import Secret

Scan = Callable[[str, bytes], Sequence[Leak]]


def scanner(secrets: Iterable[Secret]) -> Scan:
    matcher = _Matcher(secrets)

    def scan(name: str, raw: bytes) -> Sequence[Leak]:
        if matcher.pattern is None:
            return ()
        return tuple(Leak(s.record_id, s.field, name)
                     for key in scan_bytes(name, raw, matcher) for s in matcher.by_text[key])

    return scan


def scan_log(secrets: Iterable[Secret], logs: Iterable[str]) -> tuple[Leak, ...]:
    matcher = _Matcher(secrets)
    return tuple(Leak(s.record_id, s.field, BUILD_LOG)
                 for key in matcher.find(normalise("\n".join(logs)))
                 for s in matcher.by_text[key])


def leak_problems(leaks: Iterable[Leak]) -> tuple[Problem, ...]:
    return tuple(
        Problem(SourceRef(leak.output if leak.output == BUILD_LOG else f"site/{leak.output}"),
                f"{leak.record_id}: {leak.field}",
                "exempt information from this field appears in this output; the build was "
                "stopped and the published site left as it was. Remove the exempt text from the "
                "record's public fields (it may have been pasted into another field).")
        for leak in sorted(set(leaks), key=lambda x: (x.output, x.record_id, x.field))
    )
