from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import GENERATED, REPO, SPEC


def apigen(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_check_passes_on_the_committed_output() -> None:
    done = apigen("check")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "up to date" in done.stderr


def test_check_fails_with_a_diff_naming_the_changed_file(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(REPO / "spec", spec)
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out)
    sms = spec / "paths" / "sms.yaml"
    text = sms.read_text(encoding="utf-8")
    assert "summary:" in text
    sms.write_text(text.replace("summary:", "summary: Changed!", 1), encoding="utf-8")
    # a copy is another spec: [tool.apigen]'s names are not its defaults, so they are given
    names = ("--package-name", "huawei_sms", "--distribution-name", "huawei-sms-client")
    done = apigen("check", str(spec / "openapi.yaml"), "-o", str(out), *names)
    assert done.returncode == 1, done.stderr
    assert "+++ b/client/huawei_sms/resources/sms.py" in done.stdout
    assert "Changed!" in done.stdout
    assert "out of date" in done.stderr


def test_generate_writes_a_report(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = apigen("generate", str(SPEC), "-o", str(tmp_path / "out"), "--report", str(report))
    assert done.returncode == 0, done.stderr
    data = json.loads(report.read_text())
    assert set(data) == {"operations", "schemas", "files", "warnings"}
    assert "batchSendSms" in data["operations"]["generated"]
    assert data["operations"]["skipped"] == [] and data["schemas"]["skipped"] == []
    assert data["files"] == len([p for p in (tmp_path / "out").rglob("*") if p.is_file()]) - 1  # minus manifest


def test_unusable_spec_exits_2_without_traceback_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: nowhere.yaml\n")
    done = apigen("generate", str(bad), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{bad.name}:5" in done.stderr or "bad.yaml:5" in done.stderr
    assert not (tmp_path / "out").exists()


def test_invalid_spec_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert apigen("generate", str(SPEC), "-o", str(out)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: T}\npaths: {}\n")  # no version: schema error
    done = apigen("generate", str(bad), "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bad.yaml:2: error:" in done.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_lint_exit_codes(tmp_path: Path) -> None:
    assert apigen("lint", str(SPEC)).returncode == 0
    dup = tmp_path / "dup.yaml"
    dup.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: x\n"
        "      responses: {'200': {description: ok}}\n    post:\n      operationId: x\n"
        "      responses: {'200': {description: ok}}\n"
    )
    done = apigen("lint", str(dup))
    assert done.returncode == 1 and "duplicate operationId 'x'" in done.stderr
    assert apigen("lint", str(tmp_path / "missing.yaml")).returncode == 2
    assert apigen("frobnicate").returncode == 2
