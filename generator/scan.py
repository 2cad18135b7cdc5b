# The leak guard as the write stage uses it: one matcher over every secret, built once a build,
# that scans one output file as it is made (so each published byte is read once) and the
# engine's log (generator/guard.py does the reading and matching).
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from generator.guard import (BUILD_LOG, Leak, Windows, _Matcher, leak_problems, normalise,
                             scan_bytes)
from generator.redact import Secret
from generator.shellguard import ShellGuard

__all__ = ["Scan", "Scanner", "leak_problems"]

Scan = Callable[[str, bytes], Sequence[Leak]]


class Scanner:
    def __init__(self, secrets: Iterable[Secret],
                 windows: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """`windows`: by file, the clean windows of large files that a build with these
        secrets found (guard.Windows), so that they are not read again."""
        self._matcher = _Matcher(secrets)
        self._known = {k: v for entries in (windows or {}).values() for k, v in entries.items()}
        self._used: dict[str, dict[str, str]] = {}
        self._shells: dict[tuple[str, ...], ShellGuard] = {}

    def take_windows(self) -> dict[str, dict[str, str]]:
        """By file, the clean windows the scans since the last call read or met again."""
        used, self._used = self._used, {}
        return used

    def file(self, name: str, raw: bytes) -> Sequence[Leak]:
        matcher = self._matcher
        if matcher.empty:
            return ()
        windows = Windows(self._known, {})
        found = scan_bytes(name, raw, matcher, windows)
        if windows.used:
            self._used[name] = windows.used
        return matcher.leaks(found, name)

    def page(self, name: str, parts: Sequence[str]) -> Sequence[Leak]:
        """`file` for an HTML page made of a shell's static parts (even positions of `parts`,
        the same strings on every page filled into that shell) and what was filled in
        between them (odd positions); the static parts are read once a shell."""
        matcher = self._matcher
        if matcher.empty:
            return ()
        static = tuple(parts[0::2])
        shell = self._shells.get(static)
        if shell is None:
            shell = self._shells[static] = ShellGuard(static, matcher)
        found = shell.find(parts[1::2])
        if found is None:
            return self.file(name, "".join(parts).encode("utf-8"))
        return matcher.leaks(found, name)

    def log(self, lines: Iterable[str]) -> tuple[Leak, ...]:
        matcher = self._matcher
        return matcher.leaks(matcher.find(normalise("\n".join(lines))), BUILD_LOG)
