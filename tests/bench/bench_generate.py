"""Benchmark (not a test): `apigen generate` against openapi-python-client on the same spec, in one run.

    make bench                       # or: .venv/bin/python tests/bench/bench_generate.py [SPEC] [--runs N]

Both tools run as fresh processes end to end (load, validate, build, render, format, write). apigen is
timed three ways: cold (empty black cache, empty output), warm (cache filled by an earlier run, empty
output), and incremental (the everyday case: one operation's summary edited in a copy of the spec, then
regenerated over the previous output). The ratios are openapi-python-client's median over apigen's
median, so > 1 means apigen is faster.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO / ".." / "shared" / "corpus" / "vendors" / "twilio-messaging-v1.yaml"
BIN = Path(sys.executable).parent


def timed(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", nargs="?", default=str(DEFAULT_SPEC))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    spec = Path(args.spec).resolve()
    if not spec.exists():
        print(f"spec not found: {spec} (../shared/corpus is needed)", file=sys.stderr)
        return 2
    opc = shutil.which("openapi-python-client", path=str(BIN)) or shutil.which("openapi-python-client")
    if opc is None:
        print("installing openapi-python-client (the bench extra) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", f"{REPO}[bench]"], check=True)
        opc = shutil.which("openapi-python-client", path=str(BIN))
        assert opc is not None
    import os

    cold, warm, incremental, peer = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text = spec.read_text(encoding="utf-8")
        for i in range(args.runs):
            cache = work / f"cache{i}"
            env = dict(os.environ, APIGEN_CACHE_DIR=str(cache))
            apigen = [str(BIN / "apigen"), "generate", "--package-name", "bench_client"]
            cold.append(timed([*apigen, str(spec), "-o", str(work / f"cold{i}")], env, cwd=work))
            warm.append(timed([*apigen, str(spec), "-o", str(work / f"warm{i}")], env, cwd=work))
            edited = work / f"edited{i}{spec.suffix}"
            edited.write_text(re.sub(r"(?m)^(\s+summary:) .*$", rf"\1 'Edited {i}.'", text, count=1), encoding="utf-8")
            incremental.append(timed([*apigen, str(edited), "-o", str(work / f"warm{i}")], env, cwd=work))
            peer.append(timed([opc, "generate", "--path", str(spec), "--output-path", str(work / f"opc{i}"),
                               "--overwrite"], cwd=work))  # fmt: skip
    med = statistics.median
    print(f"spec: {spec.name} ({spec.stat().st_size // 1024} KiB), {args.runs} runs each, medians:")
    print(f"  apigen generate, cold black cache : {med(cold):6.2f} s")
    print(f"  apigen generate, warm black cache : {med(warm):6.2f} s")
    print(f"  apigen generate, one edit, warm   : {med(incremental):6.2f} s")
    print(f"  openapi-python-client generate    : {med(peer):6.2f} s")
    print(f"  ratio openapi-python-client / apigen (cold):        {med(peer) / med(cold):.2f}x")
    print(f"  ratio openapi-python-client / apigen (warm):        {med(peer) / med(warm):.2f}x")
    print(f"  ratio openapi-python-client / apigen (incremental): {med(peer) / med(incremental):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
