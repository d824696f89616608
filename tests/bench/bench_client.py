"""Per-call overhead of the generated client, against a raw httpx request and Huawei's official SDK.

Run with ``make bench`` (or ``.venv/bin/python -m tests.bench.bench_client [--calls N] [--json PATH]`` from the
repository root).
Not a test: it prints a table and two ratios, and exits 0 whatever they are.

The same SMS send (``POST /sms/batchSendSms/v1``, application AK/SK signing) goes, over one keep-alive
connection, to the fake Huawei server running in a *separate process* (so its CPU time does not share
this interpreter's GIL):

* ``generated``: ``huawei_sms.Client(...).sms.batch_send_sms(...)``: build, sign, send, check the result
  code, decode into models;
* ``raw httpx``: ``httpx.Client.post`` with the identical bytes (URL, headers including a signature made
  once, body), then ``response.json()["code"]``: the least any httpx-based caller does;
* ``official SDK``: ``huaweicloudsdksmsapi`` ``SMSApiClient.batch_send_sms`` (requests-based), when installed.

Each round runs every contender for ``calls`` calls, in rotating order; the table shows, per contender, the
median and the best round's mean time per call (the best round is the least disturbed by other processes).
Targets: generated <= 1.15 x raw httpx in time per call; the official SDK's per-call overhead (its time above
raw httpx's, which is the server's and the network's share) at least 2 x the generated client's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.fake_huawei import FAKE_APP_KEY, FAKE_APP_SECRET

ROOT = Path(__file__).resolve().parents[2]

SENDER = "csms12345678"
TO = "+8613800000001"
TEMPLATE = "fake-template-0001"
PARAS = '["123456"]'

SERVER_SCRIPT = """
import sys
from tests.fake_huawei import FakeHuawei
fake = FakeHuawei()
fake.start()
print(fake.url, flush=True)
sys.stdin.read()
fake.stop()
"""


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT],
        cwd=ROOT,  # where ``tests`` is importable from
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"the fake server did not start: {url!r}")
    return process, url


def generated_call(url: str) -> tuple[Callable[[], object], Callable[[], None], httpx.Request]:
    import huawei_sms

    captured: list[httpx.Request] = []
    probe = httpx.Client(event_hooks={"request": [captured.append]})
    probe_client = huawei_sms.Client(
        base_url=url,
        app_key=FAKE_APP_KEY,
        app_secret=FAKE_APP_SECRET,
        http_client=probe,
        from_env=False,
    )
    probe_client.sms.batch_send_sms(from_=SENDER, to=TO, template_id=TEMPLATE, template_paras=PARAS)
    probe.close()

    client = huawei_sms.Client(
        base_url=url, app_key=FAKE_APP_KEY, app_secret=FAKE_APP_SECRET, from_env=False
    )

    def call() -> object:
        result = client.sms.batch_send_sms(
            from_=SENDER, to=TO, template_id=TEMPLATE, template_paras=PARAS
        )
        assert result.code == "000000"
        return result

    return call, client.close, captured[-1]


def raw_call(request: httpx.Request) -> tuple[Callable[[], object], Callable[[], None]]:
    http = httpx.Client()
    url = str(request.url)
    headers = [(k, v) for k, v in request.headers.multi_items() if k not in ("content-length",)]
    body = request.content

    def call() -> object:
        response = http.post(url, content=body, headers=headers)
        assert response.status_code == 200, response.text
        result = response.json()  # the least a caller must do: is the send a success?
        assert result["code"] == "000000"
        return result

    return call, http.close


def official_call(url: str) -> tuple[Callable[[], object], Callable[[], None]] | None:
    try:
        from huaweicloudsdkcore.http.http_config import HttpConfig
        from huaweicloudsdksmsapi.v1 import (
            BatchSendSmsRequest,
            BatchSendSmsRequestBody,
            SMSApiClient,
        )
        from huaweicloudsdksmsapi.v1.smsapi_credentials import SMSApiCredentials
    except ImportError:
        return None
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    client = (
        SMSApiClient.new_builder()
        .with_http_config(config)
        .with_credentials(SMSApiCredentials(ak=FAKE_APP_KEY, sk=FAKE_APP_SECRET))
        .with_endpoints([url])
        .build()
    )

    def call() -> object:
        body = BatchSendSmsRequestBody(
            _from=SENDER, to=TO, template_id=TEMPLATE, template_paras=PARAS
        )
        response = client.batch_send_sms(BatchSendSmsRequest(body=body))
        assert response.code == "000000", response
        return response

    return call, lambda: None


def measure(
    contenders: dict[str, Callable[[], object]], calls: int, rounds: int
) -> dict[str, list[float]]:
    per_call: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for name in names:  # warm up connections, caches, imports
        for _ in range(max(20, calls // 10)):
            contenders[name]()
    for round_ in range(rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            fn = contenders[name]
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            per_call[name].append((time.perf_counter() - start) / calls)
    return per_call


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per contender per round")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    process, url = start_server()
    closers: list[Callable[[], None]] = []
    try:
        generated, close, request = generated_call(url)
        closers.append(close)
        raw, close = raw_call(request)
        closers.append(close)
        contenders: dict[str, Callable[[], object]] = {"generated": generated, "raw httpx": raw}
        official = official_call(url)
        if official is not None:
            contenders["official SDK"] = official[0]
            closers.append(official[1])
        results = measure(contenders, args.calls, args.rounds)
    finally:
        for close in closers:
            close()
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)

    medians = {name: statistics.median(times) for name, times in results.items()}
    best = {name: min(times) for name, times in results.items()}
    print(
        f"SMS send against a local fake server ({args.rounds} rounds x {args.calls} calls per contender)"
    )
    print(f"  {'':<13} {'median':>8} {'best round':>11}   (us per call)")
    for name in results:
        print(f"  {name:<13} {medians[name] * 1e6:8.0f} {best[name] * 1e6:11.0f}")
    report: dict[str, Any] = {
        "us_per_call_median": {k: v * 1e6 for k, v in medians.items()},
        "us_per_call_best": {k: v * 1e6 for k, v in best.items()},
    }
    raw = medians["raw httpx"]
    ratio = medians["generated"] / raw
    report["generated_over_raw"] = ratio
    print(
        f"generated / raw httpx      = {ratio:.3f}x median, {best['generated'] / best['raw httpx']:.3f}x best"
        "   (target <= 1.15x)"
    )
    if "official SDK" in medians:
        speedup = medians["official SDK"] / medians["generated"]
        overhead = (medians["official SDK"] - raw) / max(medians["generated"] - raw, 1e-9)
        report["official_over_generated"] = speedup
        report["official_overhead_over_generated_overhead"] = overhead
        print(f"official SDK / generated   = {speedup:.2f}x total time per call")
        print(
            f"  time above raw httpx: generated {(medians['generated'] - raw) * 1e6:.0f} us, official SDK "
            f"{(medians['official SDK'] - raw) * 1e6:.0f} us: {overhead:.1f}x   (target >= 2x)"
        )
    else:
        print("official SDK: not installed (pip install huaweicloudsdksmsapi), skipped")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
