"""Shared, cached builds of the sample portal for the browse, feed, OCDS and export tests.

One generated (not MkDocs-built) copy of the sample and one full MkDocs build per test session,
whichever test module asks first; and a private-repository copy whose records hold exempt
passages, for proving that feeds and exports carry only the redacted text.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from generator.pipeline import Generated, generate
from sample_project import AS_OF, REPO, build, copy_project

MOMENT = datetime.fromisoformat(AS_OF)
CANARY = "qzx7exemptcanary31k"
_BUILT: dict[str, Path] = {}


@cache
def sample_generated() -> Generated:
    """The sample project run through the pipeline (no MkDocs): pages and data files."""
    generated = generate(REPO, MOMENT)
    assert generated.ok, [str(p) for p in generated.problems]
    return generated


def outputs() -> dict[str, bytes]:
    return {o.path: o.content for o in sample_generated().outputs}


def built_site(factory: pytest.TempPathFactory) -> Path:
    """The sample portal built with MkDocs, once per session; returns the site folder."""
    if "site" not in _BUILT:
        project = copy_project(factory.mktemp("portal-browse") / "project")
        status, _, err = build(project)
        assert status == 0, err
        _BUILT["site"] = project / "site"
    return _BUILT["site"]


EXEMPT_RECORD = f"""\
title: Canary commissioning decision
decision_maker: Cabinet
decision_type: cabinet
status: approved
key_decision: true
forward_plan:
  included: true
  published: 2026-09-01
  urgency: none
portfolio: Adult Social Care and Health
wards: [Abbey]
dates:
  decision: 2026-11-18
  published: 2026-11-19
purpose: >-
  To buy a canary service. The preferred bidder offered [[exempt 3]]{CANARY} pounds a
  year[[/exempt]] in its tender.
decision:
  - To award the contract.
reasons:
  - It was the best bid.
alternatives: No other option was considered, because the service is required by law.
commissioning:
  service: Canary service
  route: open-procedure
  value: {{amount: 120000, currency: GBP, basis: total}}
  term: {{start: 2027-01-01, initial_years: 2, extensions_years: [1]}}
  suppliers:
    - name: Canary Care Ltd
appendices:
  - title: Appendix 1 - Tender evaluation
    exempt:
      paragraph: 3
      public_interest: The bids are commercially sensitive while the contract is let.
    body: The runner-up bid was {CANARY} in total.
"""


def exempt_project(dest: Path) -> Path:
    """A copy of the sample whose repository is private, with one record holding exempt text."""
    project = copy_project(dest)
    authority = project / "site-data" / "authority.yml"
    text = authority.read_text(encoding="utf-8")
    assert "source_repository: public" in text
    authority.write_text(text.replace("source_repository: public", "source_repository: private"),
                         encoding="utf-8")
    (project / "decisions" / "2026" / "canary-commissioning-decision.yaml").write_text(
        EXEMPT_RECORD, encoding="utf-8")
    return project
