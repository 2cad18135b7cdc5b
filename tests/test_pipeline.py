"""The pipeline (generator/pipeline.py) gives the same site whichever way its stages' work on a
record is done: as each record arrives from the load stage's workers, or stage by stage."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from generator import load, pipeline, validate
from sample_project import AS_OF, copy_project


def test_records_checked_and_redacted_as_they_arrive_give_the_same_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p")
    as_of = datetime.fromisoformat(AS_OF)
    monkeypatch.setattr(load, "_RECORD_CACHE", {})
    monkeypatch.setattr(validate, "MEMO", {})
    monkeypatch.setattr(pipeline, "REDACTED", {})
    apart = pipeline.generate(project, as_of)  # no memo: every stage does its own work
    monkeypatch.setattr(load, "PARALLEL_MIN", 2)  # the sample's records, parsed in workers
    arrivals: list[str] = []
    early: dict[str, object] = {}
    real = pipeline._Arrival.__call__

    def noted(self, authority, d, key, problems):  # type: ignore[no-untyped-def]
        arrivals.append(d.path)
        early[d.path] = problems
        real(self, authority, d, key, problems)

    monkeypatch.setattr(pipeline._Arrival, "__call__", noted)
    redacted: list[str] = []
    checked: list[str] = []
    real_redact, real_problems = pipeline.redact, validate._record_problems
    monkeypatch.setattr(pipeline, "redact", lambda d, table: (
        redacted.append(d.path), real_redact(d, table))[1])
    monkeypatch.setattr(validate, "_record_problems", lambda project, d, *rest: (
        checked.append(d.path), real_problems(project, d, *rest))[1])
    together = pipeline.generate(project, as_of, remember=True)
    assert apart.project is not None and together.project is not None
    assert len(arrivals) == len(together.project.decisions) > 10
    # Done once each, on arrival: the stages found the work remembered. The checks ran in the
    # workers that parsed the records (whose calls this process does not see), and came with
    # each record.
    assert sorted(redacted) == sorted(arrivals)
    assert checked == [] and all(isinstance(p, tuple) for p in early.values())
    assert {path: found[2] for path, found in validate.MEMO.items()} == early
    # Each arrival left what the stages would have made, under the keys they look up.
    assert set(validate.MEMO) == set(pipeline.REDACTED) == set(arrivals)
    assert together.problems == apart.problems
    assert sorted(s.text for s in together.secrets) == sorted(s.text for s in apart.secrets)
    assert {o.path: o.content for o in together.outputs} == {
        o.path: o.content for o in apart.outputs}
