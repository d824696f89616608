"""Benchmark (not a test): `apigen generate` against openapi-python-client, one table from one run.

    make bench
    .venv/bin/python tests/bench/bench_generate.py [--runs N] [--large-runs M] [--spec NAME ...] [--no-scaling]

For each spec (``vendors/twilio-messaging-v1.yaml``, ``large/openai.yaml``, ``large/box.json`` and the
multi-file DigitalOcean spec, all in ``../shared/corpus``) apigen is timed three ways, each a fresh process
end to end (load, validate, build, render, format, write, client and docs):

- cold: empty ``APIGEN_CACHE_DIR`` and empty output (what CI and a first run see);
- warm: the cache an earlier run filled, empty output;
- one edit: one operation's ``summary`` changed in place (in one file of a multi-file spec), regenerated over
  the warm output, as a user regenerates after editing the spec.

apigen runs on a copy of the spec (the whole folder of a multi-file one), made before the cold run.

openapi-python-client generates the same spec (with its default post hooks, ruff, as a user would run it);
where it fails, the table says why. Times are medians of N runs (``--runs`` for specs under 1 MiB,
``--large-runs`` for the others: they take minutes on a shared machine). Peak RSS is the largest resident
set of any process of the run (the tool or one of its workers), from ``getrusage(RUSAGE_CHILDREN)`` in a
process that runs only that command. A spec whose file is absent is skipped with the reason.

With ``--corpus``, every OpenAPI document of the corpus is also generated cold once by each tool, with a
per-spec table and the total over the specs both generate; ``--specs DIR`` does the same for the OpenAPI
documents under any folder (specs of your own, or public ones the corpus does not hold).

Then the scaling check: a synthetic spec with N and 2N operations and schemas, generated cold; the ratio
of the times should stay under ~2.2 (linear growth plus a fixed start-up cost).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / ".." / "shared" / "corpus"
BIN = Path(sys.executable).parent
TIMEOUT = 1800  # seconds for one run of one tool

# name -> (root file under the corpus, whether its $refs reach other files of its folder)
SPECS = {
    "twilio": ("vendors/twilio-messaging-v1.yaml", False),
    "openai": ("large/openai.yaml", False),
    "box": ("large/box.json", False),
    "digitalocean": ("large/digitalocean/specification/DigitalOcean-public.v2.yaml", True),
}
_SPEC_FILES = (".yaml", ".yml", ".json")
LARGE = 1024 * 1024  # a spec tree over this many bytes gets --large-runs

# runs one command and prints its wall time, exit code and the peak RSS of it and its descendants
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))
    code, out = done.returncode, (done.stdout + done.stderr)
except subprocess.TimeoutExpired:
    code, out = -1, "timed out after " + sys.argv[1] + " s"
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
rss, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "code": code, "rss": rss, "out": out[:3000] + chr(10) + out[-3000:]}))
"""


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of the tool and its workers: less sensitive to a busy machine
    code: int
    rss: int
    out: str


def measure(args: list[str], env: dict[str, str], cwd: Path) -> Run:
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(TIMEOUT), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, check=True)  # fmt: skip
    return Run(**json.loads(done.stdout))


@dataclass
class Row:
    name: str
    size: int
    note: str = ""
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)
    peer: list[Run] = field(default_factory=list)


def tree_size(spec: Path, multi: bool) -> int:
    """Bytes of the spec: all YAML/JSON files of its folder for a multi-file spec, else the file."""
    if not multi:
        return spec.stat().st_size
    return sum(p.stat().st_size for p in spec.parent.rglob("*") if p.suffix in _SPEC_FILES)


_SUMMARY = re.compile(r'(?m)^(\s*summary:) .*$|("summary"\s*:\s*)"(?:[^"\\]|\\.)*"')


def copy_spec(spec: Path, multi: bool, into: Path) -> Path:
    """A copy of ``spec`` (its whole folder when it is multi-file) under ``into``; the copy's root file."""
    if multi:
        shutil.copytree(spec.parent, into)
    else:
        into.mkdir(parents=True, exist_ok=True)
        shutil.copy(spec, into / spec.name)
    return into / spec.name


def edit_in_place(spec: Path, multi: bool, i: int) -> None:
    """One operation's summary changed in ``spec`` (in the first file of its folder that has one, when it is
    multi-file)."""
    candidates = [spec, *sorted(p for p in spec.parent.rglob("*") if p.suffix in _SPEC_FILES)] if multi else [spec]
    for path in candidates:
        text = path.read_text(encoding="utf-8")

        def replace(m: re.Match[str]) -> str:
            return f"{m.group(1)} 'Edited {i}.'" if m.group(1) else f'{m.group(2)}"Edited {i}."'

        edited, n = _SUMMARY.subn(replace, text, count=1)
        if n:
            path.write_text(edited, encoding="utf-8")
            return
    raise SystemExit(f"no operation summary to edit in {spec}")


def failure(run: Run) -> str:
    """The peer's reason for failing, in one short line: its exception, else its validation summary."""
    lines = [line.strip() for line in run.out.splitlines()
             if line.strip() and not line.lstrip().startswith(("│", "╭", "╰", "For further information", "If you believe"))]  # fmt: skip
    if run.code == -1:
        return lines[-1] if lines else "timed out"
    for pattern in (r"^[\w.]*(?:Error|Exception): \S", r"\d+ validation errors? for", r"error|unable|cannot|failed"):
        found = [line for line in lines if re.search(pattern, line, re.IGNORECASE if "|" in pattern else 0)]
        if found:
            return found[-1][:100]
    return lines[-1][:100] if lines else f"exit {run.code}"


def bench_spec(name: str, spec: Path, multi: bool, runs: int, work: Path, opc: str | None,
               env: dict[str, str]) -> Row:  # fmt: skip
    row = Row(name, tree_size(spec, multi))
    apigen = [str(BIN / "apigen"), "generate", "--package-name", "bench_client"]
    for i in range(runs):
        base = work / name / str(i)
        base.mkdir(parents=True)
        run_env = dict(env, APIGEN_CACHE_DIR=str(base / "cache"))
        copy = copy_spec(spec, multi, base / "spec")
        cold = measure([*apigen, str(copy), "-o", str(base / "cold")], run_env, base)
        if cold.code != 0:
            row.note = "apigen: " + failure(cold)
            return row
        row.cold.append(cold)
        row.warm.append(measure([*apigen, str(copy), "-o", str(base / "warm")], run_env, base))
        edit_in_place(copy, multi, i)
        row.edit.append(measure([*apigen, str(copy), "-o", str(base / "warm")], run_env, base))
        if opc is not None:
            row.peer.append(measure([opc, "generate", "--path", str(spec), "--output-path", str(base / "opc"),
                                     "--overwrite"], env, base))  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)
    return row


def med(runs: list[Run]) -> float:
    return statistics.median(r.wall for r in runs)


def cpu(runs: list[Run]) -> str:
    return f"{statistics.median(r.cpu for r in runs):.1f} s"


def peak(runs: list[Run]) -> str:
    return f"{max(r.rss for r in runs) / 2**20:.0f} MB"


def print_table(rows: list[Row], runs: int, large_runs: int) -> None:
    head = ("spec", "size", "n", "cold", "warm", "one edit", "edit/cold", "peer", "cold/peer", "cold CPU", "peer CPU",
            "RSS apigen", "RSS peer")  # fmt: skip
    table: list[tuple[str, ...]] = [head]
    notes = []
    for row in rows:
        n = str(len(row.cold))
        size = "-" if not row.size else f"{row.size / 1024:.0f} KiB" if row.size < LARGE else f"{row.size / 2**20:.1f} MiB"
        if not row.cold:
            table.append((row.name, size, "0", *["-"] * (len(head) - 3)))
            notes.append(f"{row.name}: {row.note}")
            continue
        cold, warm, edit = med(row.cold), med(row.warm), med(row.edit)
        ok = [r for r in row.peer if r.code == 0]
        if row.peer and len(ok) == len(row.peer):
            peer, ratio, peer_rss, peer_cpu = f"{med(ok):.2f} s", f"{cold / med(ok):.2f}x", peak(ok), cpu(ok)
        elif row.peer:
            peer, ratio, peer_rss, peer_cpu = f"fails ({med(row.peer):.1f} s)", "-", peak(row.peer), "-"
            notes.append(f"{row.name}: openapi-python-client fails: {failure(row.peer[0])}")
        else:
            peer, ratio, peer_rss, peer_cpu = "not run", "-", "-", "-"
        table.append((row.name, size, n, f"{cold:.2f} s", f"{warm:.2f} s", f"{edit:.2f} s", f"{edit / cold:.2f}x",
                      peer, ratio, cpu(row.cold), peer_cpu, peak(row.cold + row.warm + row.edit), peer_rss))  # fmt: skip
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    print(f"apigen generate vs openapi-python-client (medians; n runs each; --runs {runs}, --large-runs {large_runs})")
    for i, r in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("targets: cold/peer <= 0.5x, edit/cold <= 0.1x, RSS apigen <= RSS peer")
    for note in notes:
        print(f"  {note}")


def synthetic(operations: int) -> str:
    """A spec with ``operations`` operations over as many schemas, each schema referring to the next."""
    lines = ["openapi: 3.0.3", "info: {title: Scale, version: '1.0'}", "paths:"]
    for i in range(operations):
        lines += [
            f"  /items{i}/{{id}}:",
            "    get:",
            f"      operationId: getItem{i}",
            f"      tags: [group{i // 20}]",
            f"      summary: Get item {i}.",
            "      parameters:",
            "        - {name: id, in: path, required: true, schema: {type: string}}",
            "        - {name: limit, in: query, schema: {type: integer}}",
            "      responses:",
            "        '200':",
            "          description: The item.",
            "          content:",
            f"            application/json: {{schema: {{$ref: '#/components/schemas/Item{i}'}}}}",
        ]
    lines += ["components:", "  schemas:"]
    for i in range(operations):
        nxt = f"\n        next: {{$ref: '#/components/schemas/Item{(i + 1) % operations}'}}"
        lines += [
            f"    Item{i}:",
            "      type: object",
            "      required: [id]",
            "      properties:",
            "        id: {type: string}",
            "        count: {type: integer, format: int64}",
            "        tags: {type: array, items: {type: string}}",
            f"        state: {{type: string, enum: [on, off, state{i}]}}{nxt}",
        ]
    return "\n".join(lines) + "\n"


def scaling(work: Path, env: dict[str, str], size: int, runs: int) -> None:
    times = {}
    for n in (size, 2 * size):
        spec = work / f"scale{n}.yaml"
        spec.write_text(synthetic(n), encoding="utf-8")
        walls = []
        for i in range(runs):
            base = work / f"scale{n}-{i}"
            run = measure([str(BIN / "apigen"), "generate", "--package-name", "scale", str(spec), "-o", str(base / "out")],
                          dict(env, APIGEN_CACHE_DIR=str(base / "cache")), work)  # fmt: skip
            if run.code != 0:
                raise SystemExit(f"apigen failed on the synthetic spec:\n{run.out}")
            walls.append(run.wall)
            shutil.rmtree(base, ignore_errors=True)
        times[n] = statistics.median(walls)
    ratio = times[2 * size] / times[size]
    verdict = "ok" if ratio <= 2.2 else "SUPERLINEAR"
    print(f"scaling (synthetic spec, cold, median of {runs}): {size} operations+schemas {times[size]:.2f} s, "
          f"{2 * size}: {times[2 * size]:.2f} s, ratio {ratio:.2f}x (limit 2.2x): {verdict}")


def corpus_table(work: Path, opc: str | None, env: dict[str, str], folder: Path = CORPUS) -> None:
    """Every OpenAPI document under ``folder`` (../shared/corpus, or one given with ``--specs``), one cold run
    each of apigen and of the peer: per spec and in total over the specs both generate (the issue's "on every
    spec both can generate, and on their total")."""
    sys.path.insert(0, str(REPO))
    from tests.support.paths import spec_roots

    folder = folder.resolve()
    rows = []
    for n, spec in enumerate(spec_roots(folder)):
        print(f"  {spec.relative_to(folder)} ...", file=sys.stderr, flush=True)
        base = work / "corpus" / str(n)
        base.mkdir(parents=True)
        mine = measure([str(BIN / "apigen"), "generate", "--package-name", "bench_client", str(spec), "-o",
                        str(base / "out")], dict(env, APIGEN_CACHE_DIR=str(base / "cache")), base)  # fmt: skip
        peer = None
        if opc is not None:
            peer = measure([opc, "generate", "--path", str(spec), "--output-path", str(base / "opc")], env, base)
        rows.append((spec.relative_to(folder), mine, peer))
        shutil.rmtree(base, ignore_errors=True)
    both = [(m, p) for _, m, p in rows if m.code == 0 and p is not None and p.code == 0]
    print(f"{folder}: {len(rows)} specs, cold, one run each")
    print("| spec | apigen | peer | ratio | RSS apigen | RSS peer |")
    print("|---|---|---|---|---|---|")
    for name, mine, peer in rows:
        theirs = "not run" if peer is None else f"{peer.wall:.2f} s" if peer.code == 0 else "fails"
        ratio = f"{mine.wall / peer.wall:.2f}x" if peer is not None and peer.code == 0 and mine.code == 0 else "-"
        mine_text = f"{mine.wall:.2f} s" if mine.code == 0 else f"fails ({failure(mine)})"
        peer_rss = f"{peer.rss / 2**20:.0f} MB" if peer is not None else "-"
        print(f"| {name} | {mine_text} | {theirs} | {ratio} | {mine.rss / 2**20:.0f} MB | {peer_rss} |")
    if both:
        total_mine, total_peer = sum(m.wall for m, _ in both), sum(p.wall for _, p in both)
        worst = max(m.wall / p.wall for m, p in both)
        over = sum(1 for m, p in both if m.rss > p.rss)
        print(f"total over the {len(both)} specs both generate: apigen {total_mine:.1f} s, peer {total_peer:.1f} s, "
              f"ratio {total_mine / total_peer:.2f}x; worst single ratio {worst:.2f}x; apigen's RSS above the "
              f"peer's on {over} of them")  # fmt: skip


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:  # not Linux
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each spec under 1 MiB (default 3)")
    parser.add_argument("--large-runs", type=int, default=1, help="runs of each larger spec (default 1)")
    parser.add_argument("--spec", action="append", choices=sorted(SPECS), help="only these specs (repeatable)")
    parser.add_argument("--no-peer", action="store_true", help="do not run openapi-python-client")
    parser.add_argument("--no-scaling", action="store_true", help="skip the synthetic doubling check")
    parser.add_argument("--scaling-size", type=int, default=150, help="operations of the smaller synthetic spec")
    parser.add_argument("--corpus", action="store_true",
                        help="also every OpenAPI document of ../shared/corpus, cold, one run each, with the total")  # fmt: skip
    parser.add_argument("--only-tables", action="store_true",
                        help="skip the four named specs and the scaling check: only the --corpus and --specs tables")  # fmt: skip
    parser.add_argument("--specs", action="append", type=Path, default=[], metavar="DIR",
                        help="also every OpenAPI document under DIR, as --corpus does for the corpus (repeatable)")  # fmt: skip
    args = parser.parse_args()
    opc = None
    if not args.no_peer:
        opc = shutil.which("openapi-python-client", path=str(BIN)) or shutil.which("openapi-python-client")
        if opc is None:
            print("installing openapi-python-client (the bench extra) ...", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", f"{REPO}[bench]"], check=True)
            opc = shutil.which("openapi-python-client", path=str(BIN))
    # the peer's post hooks (ruff) are found on PATH, as in a user's environment
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    print(f"load average before: {load()} on {os.cpu_count()} cores", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="apigen-bench-") as tmp:
        work = Path(tmp)
        for name in [] if args.only_tables else args.spec or list(SPECS):
            relative, multi = SPECS[name]
            spec = (CORPUS / relative).resolve()
            if not spec.exists():
                rows.append(Row(name, 0, note=f"skipped: {relative} not found (needs ../shared/corpus)"))
                continue
            runs = args.runs if tree_size(spec, multi) < LARGE else args.large_runs
            print(f"  {name}: {runs} run(s) ...", file=sys.stderr, flush=True)
            rows.append(bench_spec(name, spec, multi, runs, work, opc, env))
        if rows:
            print_table(rows, args.runs, args.large_runs)
        if not args.no_scaling and not args.only_tables:
            scaling(work, env, args.scaling_size, args.runs)
        if args.corpus:
            corpus_table(work, opc, env)
        for folder in args.specs:
            corpus_table(work, opc, env, folder)
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
