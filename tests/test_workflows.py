# This module holds the GitHub Actions hardening checklist (security.md section (c))
# as tests, so a workflow change that weakens it fails `make test` locally and in CI.
#
# Three layers, all offline:
# 1. zizmor (the Actions security linter) must report nothing;
# 2. check-jsonschema validates each file against GitHub's published schemas;
# 3. our own rules, read from the parsed YAML (and the raw text for pin comments).
# Each rule in layer 3 is paired with a mutation test below: a copy of the real
# file with that one rule broken must be caught, so no rule can silently stop
# checking anything.
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB_DIR = ROOT / ".github"
WORKFLOWS_DIR = GITHUB_DIR / "workflows"
CI_PATH = WORKFLOWS_DIR / "ci.yml"
PAGES_PATH = WORKFLOWS_DIR / "pages.yml"
DEPENDABOT_PATH = GITHUB_DIR / "dependabot.yml"
WORKFLOW_PATHS = sorted([*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.glob("*.yaml")])

# The tools come from the same virtualenv as the interpreter running the tests
# (installed from the hash-locked requirements-test.txt). Not resolved: .venv/bin/python
# is usually a symlink to the system interpreter.
VENV_BIN = Path(sys.executable).parent
ZIZMOR = VENV_BIN / "zizmor"
CHECK_JSONSCHEMA = VENV_BIN / "check-jsonschema"

# owner/repo, optionally a path inside it, then a full 40-hex commit SHA.
PINNED_USES = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@\s]+)?@[0-9a-f]{40}$")
# A `uses:` line in the raw text, with what follows the reference.
USES_LINE = re.compile(r"""^\s*(?:-\s+)?uses:\s*["']?(?P<ref>[^\s"'#]+)["']?(?P<rest>.*)$""")
VERSION_COMMENT = re.compile(r"^\s+#\s*(?P<version>v\d+\.\d+\.\d+)\b")

UPLOAD = "actions/upload-pages-artifact"
PAGE_URL = "${{ steps.deployment.outputs.page_url }}"
TIMEOUT_S = 60


# Loading ---------------------------------------------------------------------


@dataclass(frozen=True)
class Workflow:
    """One workflow file: its name for messages, raw text and parsed YAML."""

    name: str
    raw: str
    data: dict[str, Any]

    @classmethod
    def from_text(cls, name: str, raw: str) -> Workflow:
        data = yaml.safe_load(raw)
        assert isinstance(data, dict), f"{name}: not a YAML mapping"
        return cls(name, raw, data)

    @classmethod
    def load(cls, path: Path) -> Workflow:
        return cls.from_text(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))

    @property
    def triggers(self) -> dict[str, Any]:
        # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
        on = self.data.get("on", self.data.get(True))
        if isinstance(on, str):
            return {on: None}
        if isinstance(on, list):
            return {name: None for name in on}
        return dict(on or {})

    @property
    def jobs(self) -> dict[str, dict[str, Any]]:
        return dict(self.data.get("jobs") or {})

    def steps(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        for job_id, job in self.jobs.items():
            for index, step in enumerate(job.get("steps") or []):
                yield job_id, index, step

    def uses(self) -> list[str]:
        """Every `uses:` reference, at step level and job level (reusable workflows)."""
        refs = [job["uses"] for job in self.jobs.values() if "uses" in job]
        refs += [step["uses"] for _, _, step in self.steps() if "uses" in step]
        return refs


def action_name(ref: str) -> str:
    return ref.split("@", 1)[0]


def steps_using(wf: Workflow, action: str) -> list[tuple[str, int, dict[str, Any]]]:
    return [(j, i, s) for j, i, s in wf.steps() if action_name(s.get("uses", "")) == action]


def run_steps(wf: Workflow, job_id: str) -> list[str]:
    return [str(s.get("run", "")).strip() for j, _, s in wf.steps() if j == job_id and "run" in s]


# Rules -----------------------------------------------------------------------
# Each function returns a list of problems; an empty list means the rule holds.


def audit_workflow(wf: Workflow) -> list[str]:
    """Rules every workflow in the repository must follow."""
    problems: list[str] = []
    name = wf.name

    # Dangerous triggers run with secrets in the context of the base repository.
    for trigger in ("pull_request_target", "workflow_run"):
        if trigger in wf.triggers:
            problems.append(f"{name}: trigger {trigger!r} is not allowed")

    # No token permissions unless a job asks for them.
    if wf.data.get("permissions") != {}:
        got = wf.data.get("permissions", "(missing)")
        problems.append(f"{name}: top-level permissions must be {{}}, got {got!r}")

    for job_id, job in wf.jobs.items():
        perms = job.get("permissions")
        if not isinstance(perms, dict):
            problems.append(f"{name}: job {job_id!r} must declare its permissions as a mapping")
        timeout = job.get("timeout-minutes")
        valid = type(timeout) is int and 0 < timeout <= 60
        if "uses" not in job and not valid:
            problems.append(f"{name}: job {job_id!r} needs timeout-minutes between 1 and 60")

    # Every action pinned to a commit SHA...
    refs = wf.uses()
    for ref in refs:
        if ref.startswith("./"):
            continue  # a local action is pinned by the commit that contains it
        if not PINNED_USES.match(ref):
            problems.append(f"{name}: uses {ref!r} is not pinned to a full commit SHA")

    # ...with a `# vX.Y.Z` comment on the same line, checked in the raw text.
    raw_refs: list[str] = []
    for lineno, line in enumerate(wf.raw.splitlines(), 1):
        match = USES_LINE.match(line)
        if not match:
            continue
        raw_refs.append(match["ref"])
        if not match["ref"].startswith("./") and not VERSION_COMMENT.match(match["rest"]):
            problems.append(f"{name}:{lineno}: uses {match['ref']!r} needs a '# vX.Y.Z' comment")
    if sorted(raw_refs) != sorted(refs):
        # e.g. a flow mapping `- {uses: x}` that the line check above cannot see
        problems.append(f"{name}: every uses: must be on its own line (found {raw_refs} vs {refs})")

    for job_id, index, step in wf.steps():
        where = f"{name}: job {job_id!r} step {index + 1}"
        # The token must not stay in .git/config, where later steps and
        # uploaded artifacts could read it (zizmor: artipacked).
        if action_name(step.get("uses", "")) == "actions/checkout":
            if (step.get("with") or {}).get("persist-credentials") is not False:
                problems.append(f"{where}: actions/checkout needs persist-credentials: false")
        # Expressions are expanded into the script before the shell runs it:
        # script injection. Pass values through env: instead.
        run = step.get("run")
        if run is not None and "${{" in str(run):
            problems.append(f"{where}: ${{{{ }}}} expression inside run:")
        if action_name(step.get("uses", "")) == "actions/github-script":
            if "${{" in str((step.get("with") or {}).get("script", "")):
                problems.append(f"{where}: ${{{{ }}}} expression inside a github-script script")
        # Logs of a public repository are public (security.md channel 12).
        if run is not None and re.search(r"\bset\s+(-[a-wyz]*x|-o\s+xtrace)", str(run)):
            problems.append(f"{where}: no `set -x` (logs are public)")

    # The same pin always carries the same version comment.
    seen: dict[str, str] = {}
    for line in wf.raw.splitlines():
        match = USES_LINE.match(line)
        version = match and VERSION_COMMENT.match(match["rest"])
        if match and version:
            if seen.setdefault(match["ref"], version["version"]) != version["version"]:
                problems.append(f"{name}: {match['ref']} has two different version comments")
    return problems


def audit_test_job(wf: Workflow, job_id: str) -> list[str]:
    """A job that runs `make test` on a GitHub-hosted runner."""
    problems: list[str] = []
    job = wf.jobs.get(job_id) or {}
    # The browser tests use the runner's preinstalled Google Chrome.
    if (job.get("env") or {}).get("CHROMIUM_PATH") != "/usr/bin/google-chrome":
        problems.append(f"{wf.name}: job {job_id!r} needs CHROMIUM_PATH: /usr/bin/google-chrome")
    pythons = [
        (step.get("with") or {}).get("python-version")
        for j, _, step in steps_using(wf, "actions/setup-python")
        if j == job_id
    ]
    # A bare 3.11 in YAML is a float; 3.10 would even become 3.1.
    if pythons != ["3.11"]:
        problems.append(f"{wf.name}: job {job_id!r} needs python-version '3.11', got {pythons}")
    return problems


def audit_pages(wf: Workflow) -> list[str]:
    """The publishing workflow: pages.yml."""
    problems: list[str] = []
    name = wf.name

    if set(wf.triggers) != {"push", "schedule", "workflow_dispatch"}:
        got = sorted(wf.triggers)
        problems.append(f"{name}: triggers must be push, schedule and workflow_dispatch, got {got}")
    push = wf.triggers.get("push") or {}
    if push.get("branches") != ["main"] or set(push) - {"branches"}:
        problems.append(f"{name}: push must be limited to branches: [main], got {push!r}")

    problems += audit_schedule(name, wf.triggers.get("schedule"))

    if wf.data.get("concurrency") != {"group": "pages", "cancel-in-progress": False}:
        problems.append(f"{name}: concurrency must be {{group: pages, cancel-in-progress: false}}")

    jobs = wf.jobs
    if set(jobs) != {"build", "deploy"}:
        problems.append(f"{name}: jobs must be exactly build and deploy, got {sorted(jobs)}")
    build, deploy = jobs.get("build", {}), jobs.get("deploy", {})

    # Build: read-only, tests before the site is built, site/ uploaded last.
    if build.get("permissions") != {"contents": "read"}:
        got = build.get("permissions")
        problems.append(f"{name}: build permissions must be exactly contents: read, got {got!r}")
    if "environment" in build:
        problems.append(f"{name}: build must not use an environment")
    problems += audit_test_job(wf, "build")
    build_steps = build.get("steps") or []

    def position(label: str) -> int | None:
        for index, step in enumerate(build_steps):
            if label in (str(step.get("run", "")).strip(), action_name(step.get("uses", ""))):
                return index
        return None

    order = [(label, position(label)) for label in ("make test", "make site", UPLOAD)]
    for label, index in order:
        if index is None:
            problems.append(f"{name}: build must have a step {label!r}")
    positions = [index for _, index in order]
    if None not in positions and positions != sorted(positions):
        problems.append(f"{name}: build must run make test, then make site, then {UPLOAD}")

    uploads = steps_using(wf, UPLOAD)
    if len(uploads) != 1 or uploads[0][0] != "build":
        problems.append(f"{name}: exactly one upload-pages-artifact step, in the build job")
    for _, _, step in uploads:
        params = step.get("with") or {}
        if params.get("path") != "site":
            got = params.get("path")
            problems.append(f"{name}: upload-pages-artifact must upload path: site, got {got!r}")
        if params.get("retention-days") != 1:
            got = params.get("retention-days")
            problems.append(f"{name}: upload-pages-artifact needs retention-days: 1, got {got!r}")

    # Deploy: needs build, the github-pages environment, two permissions only.
    needs = deploy.get("needs")
    if needs != "build" and needs != ["build"]:
        problems.append(f"{name}: deploy must need build, got {needs!r}")
    if deploy.get("permissions") != {"pages": "write", "id-token": "write"}:
        problems.append(
            f"{name}: deploy permissions must be exactly pages: write and id-token: write, "
            f"got {deploy.get('permissions')!r}"
        )
    if deploy.get("environment") != {"name": "github-pages", "url": PAGE_URL}:
        problems.append(f"{name}: deploy environment must be github-pages with the page_url")
    # workflow_dispatch can start a run on any branch.
    if deploy.get("if") != "github.ref == 'refs/heads/main'":
        problems.append(f"{name}: only deploy main: if: github.ref == 'refs/heads/main'")
    deploy_steps = deploy.get("steps") or []
    if [action_name(s.get("uses", "")) for s in deploy_steps] != ["actions/deploy-pages"] or (
        deploy_steps and deploy_steps[0].get("id") != "deployment"
    ):
        problems.append(f"{name}: deploy must be one actions/deploy-pages step, id: deployment")

    # No dependency cache anywhere in the publishing workflow (cache poisoning). The one
    # cache allowed is the build cache: build/cache and site only, keyed by the lock and the
    # generator, restored before the build.
    build_caches = 0
    for job_id, index, step in wf.steps():
        uses = action_name(step.get("uses", ""))
        params = step.get("with") or {}
        if uses == "actions/cache":
            paths = str(params.get("path", "")).split()
            key = str(params.get("key", ""))
            if (job_id == "build" and paths == ["build/cache", "site"]
                    and "hashFiles('requirements.txt', 'requirements-test.txt', 'generator/**')" in key):
                build_caches += 1
                continue
            problems.append(f"{name}: job {job_id!r} step {index + 1} caches {paths!r}; only "
                            "the build cache (build/cache and site) may be cached")
        elif uses.startswith("actions/cache") or any("cache" in str(key) for key in params):
            problems.append(f"{name}: job {job_id!r} step {index + 1} uses a dependency cache")
    if build_caches > 1:
        problems.append(f"{name}: one build cache step at most")

    # No branch-based deploys: they keep every deploy in git history.
    for job_id, _, step in wf.steps():
        text = f"{step.get('uses', '')}\n{step.get('run', '')}"
        if "gh-pages" in text or "git push" in text:
            problems.append(f"{name}: job {job_id!r} publishes through a branch (git push)")
    return problems


def audit_ci(wf: Workflow) -> list[str]:
    """The CI workflow: ci.yml."""
    problems: list[str] = []
    name = wf.name
    if "pull_request" not in wf.triggers:
        problems.append(f"{name}: must run on pull_request")
    push = wf.triggers.get("push") or {}
    if push.get("branches") != ["main"]:
        problems.append(f"{name}: must run on push to main, got {push!r}")

    test_jobs = [job_id for job_id in wf.jobs if "make test" in run_steps(wf, job_id)]
    if len(test_jobs) != 1:
        problems.append(f"{name}: exactly one job must run `make test`, got {test_jobs}")
    for job_id in test_jobs:
        problems += audit_test_job(wf, job_id)

    for job_id, job in wf.jobs.items():
        if job.get("permissions") != {"contents": "read"}:  # nothing else needs more
            problems.append(f"{name}: job {job_id!r} permissions must be exactly contents: read")

    # actionlint: a downloaded binary is only run after its checksum matched.
    lint_jobs = [j for j in wf.jobs if any("actionlint" in r for r in run_steps(wf, j))]
    if not lint_jobs:
        problems.append(f"{name}: no job runs actionlint")
    for job_id in lint_jobs:
        env = wf.jobs[job_id].get("env") or {}
        if not re.fullmatch(r"[0-9a-f]{64}", str(env.get("ACTIONLINT_SHA256", ""))):
            problems.append(f"{name}: job {job_id!r} must pin ACTIONLINT_SHA256 to a SHA-256")
        if not any("sha256sum --check" in r for r in run_steps(wf, job_id)):
            problems.append(f"{name}: job {job_id!r} must verify actionlint with sha256sum --check")
    return problems


def audit_dependabot(name: str, data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if data.get("version") != 2:
        problems.append(f"{name}: version must be 2")
    updates = {u.get("package-ecosystem"): u for u in data.get("updates") or []}
    for ecosystem in ("github-actions", "pip"):
        update = updates.get(ecosystem)
        if update is None:
            problems.append(f"{name}: no {ecosystem} updates")
            continue
        if update.get("directory") != "/":
            problems.append(f"{name}: {ecosystem} must watch directory /")
        if (update.get("schedule") or {}).get("interval") != "weekly":
            problems.append(f"{name}: {ecosystem} must update weekly")
        if not update.get("groups"):
            problems.append(f"{name}: {ecosystem} updates must be grouped")
    return problems


# Cron ------------------------------------------------------------------------


def cron_field(field: str, low: int, high: int) -> set[int]:
    """The values one cron field matches (numbers, *, ranges, steps, lists)."""
    values: set[int] = set()
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            start, end = (int(x) for x in body.split("-", 1))
        else:
            start = int(body)
            end = high if step_text else start
        if not (low <= start <= end <= high) or step < 1:
            raise ValueError(f"cron field {field!r} out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def audit_schedule(name: str, schedule: Any) -> list[str]:
    """Hourly 06:00-19:00 UTC on weekdays (07:00-19:00 UK time all year) and once every day."""
    problems: list[str] = []
    crons = [entry.get("cron") for entry in schedule or [] if isinstance(entry, dict)]
    if not crons:
        return [f"{name}: no schedule crons"]
    runs: set[tuple[int, int]] = set()  # (day of week 0=Sunday, hour UTC)
    for cron in crons:
        fields = str(cron).split()
        if len(fields) != 5:
            problems.append(f"{name}: cron {cron!r} must have 5 fields")
            continue
        minute, hour, dom, month, dow = fields
        if dom != "*" or month != "*":
            problems.append(f"{name}: cron {cron!r} must run every month and day of month")
            continue
        try:
            cron_field(minute, 0, 59)
            days = {d % 7 for d in cron_field(dow, 0, 7)}
            hours = cron_field(hour, 0, 23)
        except ValueError as error:
            problems.append(f"{name}: {error}")
            continue
        runs |= {(d, h) for d in days for h in hours}
    missing = [(d, h) for d in range(1, 6) for h in range(6, 20) if (d, h) not in runs]
    if missing:
        problems.append(f"{name}: no scheduled run in these (weekday, UTC hour) slots: {missing}")
    for day in range(7):
        if not any(d == day for d, _ in runs):
            problems.append(f"{name}: no scheduled run on day {day} (0=Sunday): add a daily run")
    return problems


# Layer 1: zizmor -------------------------------------------------------------


def tool_env() -> dict[str, str]:
    # Keep the run hermetic: no zizmor settings or tokens from the environment.
    dropped = ("ZIZMOR_", "GH_", "GITHUB_TOKEN")
    return {k: v for k, v in os.environ.items() if not k.startswith(dropped)}


def run_zizmor(*inputs: Path, output: str = "json") -> subprocess.CompletedProcess[str]:
    assert ZIZMOR.exists(), f"{ZIZMOR} missing: run `make setup`"
    return subprocess.run(
        [
            str(ZIZMOR),
            "--offline",  # no network: online audits are skipped
            "--strict-collection",  # an unparsable workflow is an error, not a skipped file
            "--no-config",  # no zizmor.yml may switch audits off...
            "--no-ignores",  # ...and neither may `# zizmor: ignore[...]` comments
            "--persona=pedantic",  # stricter than the default, e.g. undocumented permissions
            f"--format={output}",
            "--no-progress",
            "--color=never",
            *map(str, inputs),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=ROOT,
        env=tool_env(),
        check=False,
    )


def test_zizmor_reports_no_findings() -> None:
    # Exit codes: 0 no findings, 1 or 2 an error, 3 no inputs, 10-14 findings
    # (10 + highest severity). JSON output is a list of findings.
    result = run_zizmor(WORKFLOWS_DIR, DEPENDABOT_PATH)
    assert result.returncode in (0, *range(10, 15)), f"zizmor failed:\n{result.stderr}"
    findings = json.loads(result.stdout)
    if findings:
        # Show zizmor's own readable report.
        plain = run_zizmor(WORKFLOWS_DIR, DEPENDABOT_PATH, output="plain")
        pytest.fail(f"zizmor reported {len(findings)} finding(s):\n{plain.stdout}")
    assert result.returncode == 0


def test_zizmor_catches_an_insecure_workflow(tmp_path: Path) -> None:
    # Positive control: the same zizmor invocation must flag a known-bad workflow,
    # so the test above cannot pass because zizmor checked nothing.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    result = run_zizmor(bad)
    assert result.returncode >= 10, result.stderr
    idents = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"} <= idents


# Layer 2: JSON Schema ----------------------------------------------------------


def run_check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    assert CHECK_JSONSCHEMA.exists(), f"{CHECK_JSONSCHEMA} missing: run `make setup`"
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=ROOT,
        env=tool_env(),
        check=False,
    )


def test_the_expected_files_exist() -> None:
    for path in (CI_PATH, PAGES_PATH, DEPENDABOT_PATH):
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"


def test_workflows_match_githubs_schema() -> None:
    result = run_check_jsonschema("vendor.github-workflows", *WORKFLOW_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_matches_githubs_schema() -> None:
    result = run_check_jsonschema("vendor.dependabot", DEPENDABOT_PATH)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_an_invalid_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n")
    assert run_check_jsonschema("vendor.github-workflows", bad).returncode != 0


# Layer 3: our rules ------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_PATHS, ids=lambda p: p.name)
def test_workflow_follows_the_hardening_rules(path: Path) -> None:
    assert audit_workflow(Workflow.load(path)) == []


def test_pages_workflow() -> None:
    assert audit_pages(Workflow.load(PAGES_PATH)) == []


def test_ci_workflow() -> None:
    assert audit_ci(Workflow.load(CI_PATH)) == []


def test_dependabot_config() -> None:
    data = yaml.safe_load(DEPENDABOT_PATH.read_text(encoding="utf-8"))
    assert audit_dependabot("dependabot.yml", data) == []


# Mutation tests ----------------------------------------------------------------
# Break one rule in a copy of the real file: the rules above must catch it.


@dataclass(frozen=True)
class Mutation:
    id: str
    path: Path
    old: str  # replaced once; must still be in the file
    new: str
    expected: str  # a fragment of the problem that must be reported
    comment_only: bool = False  # changes only comments/layout, not the parsed YAML


def audit_all(wf: Workflow) -> list[str]:
    extra = audit_pages(wf) if wf.name.endswith("pages.yml") else audit_ci(wf)
    return audit_workflow(wf) + extra


def pinned(path: Path, action: str) -> tuple[str, str]:
    """The first reference to `action` in `path`, without and with its version comment.

    Read from the file rather than hard-coded, so a Dependabot bump does not
    break the mutations.
    """
    raw = path.read_text(encoding="utf-8") if path.is_file() else ""
    match = re.search(rf"uses:\s*({re.escape(action)}@\S+)(\s+#\s*v[0-9.]+)?", raw)
    if not match:
        return f"{action}@(not found)", f"{action}@(not found)"
    return match[1], match[1] + (match[2] or "")


CHECKOUT, CHECKOUT_LINE = pinned(CI_PATH, "actions/checkout")
DEPLOY, DEPLOY_LINE = pinned(PAGES_PATH, "actions/deploy-pages")
READ_ONLY = "      contents: read # to check out the repository\n"

MUTATIONS = [
    # Permissions
    Mutation("top-write-all", PAGES_PATH, "\npermissions: {}\n", "\npermissions: write-all\n",
             "top-level permissions"),
    Mutation("top-missing", CI_PATH, "\npermissions: {}\n", "\n", "top-level permissions"),
    Mutation("job-missing", CI_PATH, "    permissions:\n" + READ_ONLY, "",
             "declare its permissions"),
    Mutation("ci-job-write", CI_PATH, READ_ONLY, "      contents: write\n",
             "permissions must be exactly contents: read"),
    Mutation("build-write", PAGES_PATH, READ_ONLY, "      contents: write\n", "build permissions"),
    Mutation("deploy-extra", PAGES_PATH, "      pages: write",
             "      contents: write\n      pages: write", "deploy permissions"),
    Mutation("deploy-no-id-token", PAGES_PATH, "      id-token: write", "      actions: read",
             "deploy permissions"),
    # Pinning
    Mutation("tag", CI_PATH, CHECKOUT, "actions/checkout@v4", "not pinned"),
    Mutation("short-sha", PAGES_PATH, DEPLOY, DEPLOY.split("@")[0] + "@" + DEPLOY.split("@")[1][:7],
             "not pinned"),
    Mutation("branch", PAGES_PATH, DEPLOY, "actions/deploy-pages@main", "not pinned"),
    Mutation("no-comment", PAGES_PATH, DEPLOY_LINE, DEPLOY, "'# vX.Y.Z' comment",
             comment_only=True),
    Mutation("major-only-comment", PAGES_PATH, DEPLOY_LINE, DEPLOY + " # v4",
             "'# vX.Y.Z' comment", comment_only=True),
    Mutation("flow-style", PAGES_PATH,
             "      - name: Deploy to GitHub Pages\n        id: deployment\n"
             f"        uses: {DEPLOY_LINE}\n",
             f"      - {{name: Deploy to GitHub Pages, id: deployment, uses: {DEPLOY}}}"
             f"{DEPLOY_LINE.removeprefix(DEPLOY)}\n",
             "own line", comment_only=True),
    Mutation("two-comments", CI_PATH, CHECKOUT_LINE + "\n        with:\n          persist",
             CHECKOUT + " # v0.0.0\n        with:\n          persist",
             "two different version comments", comment_only=True),
    # Checkout, triggers, scripts
    Mutation("persist-true", CI_PATH, "          persist-credentials: false",
             "          persist-credentials: true", "persist-credentials"),
    Mutation("persist-string", PAGES_PATH, "          persist-credentials: false",
             "          persist-credentials: 'false'", "persist-credentials"),
    Mutation("persist-missing", PAGES_PATH,
             "        with:\n          persist-credentials: false\n", "", "persist-credentials"),
    Mutation("pull-request-target", CI_PATH, "\n  pull_request:\n", "\n  pull_request_target:\n",
             "pull_request_target"),
    Mutation("workflow-run", PAGES_PATH, "\n  workflow_dispatch:\n",
             "\n  workflow_dispatch:\n  workflow_run:\n    workflows: [CI]\n", "workflow_run"),
    Mutation("expression-in-run", CI_PATH, "run: make test",
             "run: make test ARGS=${{ github.event.pull_request.title }}", "expression inside run"),
    Mutation("expression-in-pages-run", PAGES_PATH, "run: make site",
             "run: make site AS_OF=${{ github.event.head_commit.timestamp }}",
             "expression inside run"),
    Mutation("set-x", CI_PATH, "set -euo pipefail\n", "set -euxo pipefail\n", "set -x"),
    Mutation("timeout", PAGES_PATH, "    timeout-minutes: 10\n", "", "timeout-minutes"),
    # Publishing
    Mutation("retention-90", PAGES_PATH, "retention-days: 1", "retention-days: 90",
             "retention-days: 1"),
    Mutation("retention-missing", PAGES_PATH, "          retention-days: 1\n", "",
             "retention-days: 1"),
    Mutation("artifact-path", PAGES_PATH, "          path: site\n", "          path: .\n",
             "path: site"),
    Mutation("no-tests", PAGES_PATH, "      - name: Run the tests\n        run: make test\n", "",
             "'make test'"),
    Mutation("pip-in-build-cache", PAGES_PATH, "            build/cache\n            site\n",
             "            build/cache\n            ~/.cache/pip\n", "only the build cache"),
    Mutation("site-before-tests", PAGES_PATH,
             "        run: make test\n\n"
             "      # Builds into site/ atomically and runs the leak guard.\n"
             "      - name: Build the site\n        run: make site\n",
             "        run: make site\n\n      - name: Build the site\n        run: make test\n",
             "then make site"),
    Mutation("environment", PAGES_PATH, "      name: github-pages\n", "      name: production\n",
             "environment must be github-pages"),
    Mutation("deploy-any-branch", PAGES_PATH, "    if: github.ref == 'refs/heads/main'\n", "",
             "only deploy main"),
    Mutation("deploy-not-after-build", PAGES_PATH, "    needs: build\n", "", "must need build"),
    Mutation("cancel-in-progress", PAGES_PATH, "  cancel-in-progress: false\n",
             "  cancel-in-progress: true\n", "concurrency"),
    Mutation("push-any-branch", PAGES_PATH, "  push:\n    branches: [main]\n", "  push:\n",
             "push must be limited"),
    Mutation("pages-on-pull-request", PAGES_PATH, "\n  workflow_dispatch:\n",
             "\n  workflow_dispatch:\n  pull_request:\n", "triggers must be"),
    Mutation("dependency-cache", PAGES_PATH, '          python-version: "3.11"\n',
             '          python-version: "3.11"\n          cache: pip\n', "dependency cache"),
    Mutation("gh-pages-branch", PAGES_PATH, "        run: make site\n",
             "        run: make site && git push origin HEAD:gh-pages\n", "through a branch"),
    # Schedule
    Mutation("no-hourly", PAGES_PATH, '    - cron: "7 6-19 * * 1-5"\n', "", "slots"),
    Mutation("misses-evening", PAGES_PATH, '"7 6-19 * * 1-5"', '"7 6-18 * * 1-5"', "slots"),
    Mutation("misses-summer-morning", PAGES_PATH, '"7 6-19 * * 1-5"', '"7 7-19 * * 1-5"', "slots"),
    Mutation("two-hourly", PAGES_PATH, '"7 6-19 * * 1-5"', '"7 6-19/2 * * 1-5"', "slots"),
    Mutation("no-daily", PAGES_PATH, '    - cron: "15 0 * * *"\n', "", "daily run"),
    # CI specifics
    Mutation("chromium-path", CI_PATH, "CHROMIUM_PATH: /usr/bin/google-chrome",
             "CHROMIUM_PATH: /usr/bin/chromium", "CHROMIUM_PATH"),
    Mutation("float-python", CI_PATH, 'python-version: "3.11"', "python-version: 3.11",
             "python-version"),
    Mutation("pages-chromium-path", PAGES_PATH, "      CHROMIUM_PATH: /usr/bin/google-chrome\n",
             "", "CHROMIUM_PATH"),
    Mutation("pages-python", PAGES_PATH, 'python-version: "3.11"', 'python-version: "3.12"',
             "python-version"),
    Mutation("ci-no-push", CI_PATH, "  push:\n    branches: [main]\n", "", "push to main"),
    Mutation("no-checksum", CI_PATH, "sha256sum --check --strict -", "cat", "sha256sum --check"),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_each_rule_catches_its_mutation(mutation: Mutation) -> None:
    raw = mutation.path.read_text(encoding="utf-8")
    assert mutation.old in raw, "the mutation no longer applies: update it with the workflow"
    name = mutation.path.relative_to(ROOT).as_posix()
    mutated = Workflow.from_text(name, raw.replace(mutation.old, mutation.new, 1))
    # A mutation that only hit a comment would prove nothing about the YAML rules.
    changed = mutated.data != yaml.safe_load(raw)
    assert changed != mutation.comment_only, "the mutation does not change what it should"
    problems = audit_all(mutated)
    assert any(mutation.expected in problem for problem in problems), problems


def test_mutation_ids_are_unique() -> None:
    ids = [m.id for m in MUTATIONS]
    assert len(ids) == len(set(ids))


DEPENDABOT_MUTATIONS = {
    "no-pip": ("package-ecosystem: pip", "package-ecosystem: npm", "no pip updates"),
    "no-actions": ("package-ecosystem: github-actions", "package-ecosystem: docker",
                   "no github-actions updates"),
    "pip-subdir": ("    directory: /\n    schedule:\n      interval: weekly\n    cooldown:\n"
                   "      default-days: 7\n    groups:\n      python:",
                   "    directory: /docs\n    schedule:\n      interval: weekly\n    cooldown:\n"
                   "      default-days: 7\n    groups:\n      python:", "directory /"),
    "monthly": ("      interval: weekly\n", "      interval: monthly\n", "weekly"),
    "ungrouped": ('    groups:\n      python:\n        patterns: ["*"]\n', "", "grouped"),
}


@pytest.mark.parametrize("mutation", DEPENDABOT_MUTATIONS.values(), ids=DEPENDABOT_MUTATIONS.keys())
def test_dependabot_rules_catch_mutations(mutation: tuple[str, str, str]) -> None:
    old, new, expected = mutation
    raw = DEPENDABOT_PATH.read_text(encoding="utf-8")
    assert old in raw, "the mutation no longer applies: update it with dependabot.yml"
    mutated = yaml.safe_load(raw.replace(old, new, 1))
    assert mutated != yaml.safe_load(raw)
    problems = audit_dependabot("dependabot.yml", mutated)
    assert any(expected in problem for problem in problems), problems
