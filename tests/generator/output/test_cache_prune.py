"""The cache folder is kept under its size: the entries used least recently go first, at most once a day,
and nothing but apigen's own entries is ever deleted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.output import cache
from tests.support.specs import write_tree

MiB = 1024 * 1024
DAY = 24 * 3600


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(folder))
    return folder


def _key(n: int) -> str:
    return cache.digest(str(n))


def _entry(root: Path, kind: str, n: int, size: int, age: float) -> Path:
    key = _key(n)
    path = root / kind / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_the_least_recently_used_entries_go_until_the_folder_is_at_80_percent(root: Path) -> None:
    paths = [_entry(root, "black", n, MiB, age=1000 - n) for n in range(10)]  # entry 0 is the oldest
    removed = cache.prune(root, 5 * MiB)
    assert removed == 6 * MiB
    assert [p.exists() for p in paths] == [False] * 6 + [True] * 4  # 4 MiB left: 80% of 5


def test_nothing_goes_while_the_folder_is_under_its_size(root: Path) -> None:
    paths = [_entry(root, "docs", n, MiB, age=DAY * 30) for n in range(5)]
    assert cache.prune(root, 5 * MiB) == 0
    assert all(p.exists() for p in paths)


def test_using_an_entry_keeps_it(root: Path) -> None:
    old = [_entry(root, "client", n, MiB, age=DAY) for n in range(4)]
    assert cache.read("client", _key(0)) is not None  # read: used now
    assert cache.read_bytes("client", _key(1)) is not None
    entry = cache.open_entry("client", _key(2))
    assert entry is not None
    entry.close()
    cache.prune(root, 15 * MiB // 4)  # 80%: 3 MiB
    assert [p.exists() for p in old] == [True, True, True, False]


def test_only_apigen_s_own_entries_are_ever_deleted(root: Path, tmp_path: Path) -> None:
    _entry(root, "black", 0, MiB, age=DAY)
    others = [root / "notes.txt", root / "black" / "readme", root / "black" / "ab" / "mine.txt",
              root / "black" / "ab" / ("ab" + "0" * 61), root / "photos" / "cd" / ("ef" + "0" * 62),
              root / "deep" / "er" / "still" / ("00" * 32)]  # fmt: skip
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"y" * MiB)
        os.utime(path, (0, 0))
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / ("ab" * 32)
    target.write_bytes(b"z" * MiB)
    os.utime(target, (0, 0))
    (root / "linked").symlink_to(outside)
    (root / "black" / "ab").mkdir(exist_ok=True)
    (root / "black" / "ab" / ("ab" * 32)).symlink_to(target)
    cache.prune(root, 0)
    assert all(p.exists() for p in others) and target.exists()
    assert not (root / "black" / _key(0)[:2] / _key(0)).exists()


def test_a_write_that_died_half_way_goes_after_an_hour(root: Path) -> None:
    key = _key(7)
    stale = root / "docs" / key[:2] / f"{key}.123.tmp"
    fresh = root / "docs" / key[:2] / f"{key}.456.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_text("half")
    fresh.write_text("half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    cache.prune(root, 512 * MiB)
    assert not stale.exists() and fresh.exists()


def test_the_folder_is_looked_at_once_a_day(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIGEN_CACHE_MAX_MB", "1")
    first = _entry(root, "black", 0, 600_000, age=DAY)
    assert cache.prune_if_due() == 0  # not over the size
    second = _entry(root, "black", 1, 600_000, age=10)
    assert cache.prune_if_due() == 0  # over it, but looked at less than a day ago
    assert first.exists()
    assert cache.prune_if_due(now=time.time() + DAY + 1) == 600_000
    assert not first.exists() and second.exists()


@pytest.mark.parametrize(("setting", "expected"), [("", 512), ("64", 64), ("0", 0), ("lots", 512), ("-5", 512)])
def test_the_size_setting(monkeypatch: pytest.MonkeyPatch, setting: str, expected: int) -> None:
    monkeypatch.setenv("APIGEN_CACHE_MAX_MB", setting)
    assert cache.max_bytes() == expected * MiB


def test_a_generation_prunes_the_folder_it_uses(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIGEN_CACHE_MAX_MB", "1")
    old = [_entry(root, "client", n, MiB, age=DAY * 60) for n in range(3)]
    spec = write_tree(tmp_path / "spec", {"openapi.yaml": """
        openapi: 3.1.0
        info: {title: Pruned, version: "1"}
        paths:
          /things:
            get:
              operationId: listThings
              responses: {"200": {description: ok}}
        """})  # fmt: skip
    assert main(["generate", str(spec), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert not any(p.exists() for p in old)
    kept = [p for p in (root / "client").rglob("*") if p.is_file()]
    assert kept  # what this generation kept, used just now, stays
    assert (root / ".pruned").exists()
