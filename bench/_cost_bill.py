"""What a season's operations cost a month, for bench/cost.py: counts per run multiplied by the workload profile
(`cost_profile.json`) and the dated price table (`cost_prices.json`), by service; and how the figures are printed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from statistics import median
from typing import Any

from _cost_season import Operation

HERE = Path(__file__).parent
PLATFORM_LOG_BYTES = 330  # Lambda's START, END and REPORT lines per invocation, when system logs are at INFO
SCHEDULED = ("tick_empty", "tick_with_mail", "reminder_job", "reminder")
"""Operations started by EventBridge, not through CloudFront."""


def yearly_counts(profile: dict[str, Any], charters: int) -> dict[str, float]:
    """How many times a year each operation runs in a season of `charters` (per-day activity grows with them)."""
    scale = charters / profile["charters_per_year"]
    counts = {name: charters * times for name, times in profile["per_charter"].items() if not name.startswith("_")}
    counts |= {name: 365 * times * scale for name, times in profile["per_day"].items() if not name.startswith("_")}
    return counts | {"tick_empty": profile["ticks_per_year"], "reminder_job": profile["reminder_jobs_per_year"]}


def bill(operations: dict[str, Operation], profile: dict[str, Any], prices: dict[str, Any], platform_logs: int,
         charters: int) -> dict[str, float]:  # fmt: skip
    """Dollars per month by service, for a season of `charters` a year."""
    price = {name: entry["usd"] for name, entry in prices["prices"].items()}
    yearly: Counter[str] = Counter()
    for name, times in yearly_counts(profile, charters).items():
        for service, dollars in _one_run(operations[name], profile, price, platform_logs).items():
            yearly[service] += times * dollars
    stored_gb = charters * profile["stored_bytes_per_charter"] / 1e9
    yearly["DynamoDB"] += 12 * stored_gb * (price["dynamodb_storage_gb_month"] + price["dynamodb_pitr_gb_month"])
    page_loads = 365 * profile["per_day"]["board_load"] * charters / profile["charters_per_year"]
    yearly["CloudFront"] += page_loads * profile["page_bytes_first_visit"] / 1e9 * price["cloudfront_gb_out"]
    yearly["S3"] += page_loads * price["s3_get"] + 12 * 0.001 * price["s3_storage_gb_month"]
    return {service: round(dollars / 12, 4) for service, dollars in sorted(yearly.items())}


def by_operation(operations: dict[str, Operation], profile: dict[str, Any], prices: dict[str, Any],
                 platform_logs: int, charters: int) -> dict[str, float]:  # fmt: skip
    """Dollars per month by operation, every service together (storage and the page's bytes left out)."""
    price = {name: entry["usd"] for name, entry in prices["prices"].items()}
    counts = yearly_counts(profile, charters)
    return {name: counts[name] * sum(_one_run(operation, profile, price, platform_logs).values()) / 12
            for name, operation in operations.items()}  # fmt: skip


def _one_run(operation: Operation, profile: dict[str, Any], price: dict[str, float],
             platform_logs: int) -> dict[str, float]:  # fmt: skip
    """Dollars by service for one run of the operation (its requests, their delivery invocations included)."""
    usage, per = operation.usage, operation.per_run
    invocations = per(operation.tally.invocations)
    gb_seconds = median(operation.seconds) * profile["lambda_memory_mb"] / 1024
    log_gb = (per(operation.tally.log_bytes) + invocations * platform_logs) / 1e9
    dollars = {
        "Lambda": invocations * price["lambda_request"] + gb_seconds * price["lambda_gb_second"],
        "DynamoDB": per(usage.read_units) * price["dynamodb_read_unit"]
        + per(usage.write_units) * price["dynamodb_write_unit"],
        "SES": per(usage.emails) * price["ses_email"],
        "CloudWatch Logs": log_gb * (price["logs_ingest_gb"] + price["logs_store_gb_month"]),
    }
    if operation.name not in SCHEDULED:
        requests = invocations - per(usage.calls["lambda.Invoke"])  # the delivery invocations never pass CloudFront
        out_gb = per(operation.tally.response_bytes) / 1e9
        dollars["CloudFront"] = requests * price["cloudfront_request"] + out_gb * price["cloudfront_gb_out"]
    return dollars


def template_quiets_platform_logs() -> bool:
    """Whether infra/template.yaml has the functions log JSON with Lambda's own lines at WARN (no START/END/REPORT)."""
    template = (HERE.parent / "infra" / "template.yaml").read_text()
    return "SystemLogLevel: WARN" in template and "LogFormat: JSON" in template


def print_operations(operations: dict[str, Operation], monthly: dict[str, float], charters: int) -> None:
    print(f"{'operation':<15} {'calls (per run)':<62} {'inv':>3} {'RRU':>5} {'WRU':>5} {'mail':>4} {'log B':>5} "
          f"{'ms':>6} $/month at {charters:,}")  # fmt: skip
    for name, operation in operations.items():
        per = operation.per_run
        calls = ", ".join(f"{call.split('.')[1]} {per(count):g}" for call, count in
                          sorted(operation.usage.calls.items())) or "-"  # fmt: skip
        usage = operation.usage
        print(f"{name:<15} {calls[:62]:<62} {per(operation.tally.invocations):3g} {per(usage.read_units):5.1f} "
              f"{per(usage.write_units):5.1f} {per(usage.emails):4.1f} {per(operation.tally.log_bytes):5.0f} "
              f"{1000 * median(operation.seconds):6.1f} {monthly[name]:8.4f}")  # fmt: skip


def print_bill(monthly: dict[str, float], charters: int) -> None:
    print(f"\nper month at {charters:,} charters a year:")
    for service, dollars in monthly.items():
        print(f"  {service:<16} ${dollars:8.4f}")


def report(operations: dict[str, Operation]) -> dict[str, Any]:
    return {name: {"calls": {call: op.per_run(count) for call, count in op.usage.calls.items()},
                   "invocations": op.per_run(op.tally.invocations),
                   "read_units": op.per_run(op.usage.read_units), "write_units": op.per_run(op.usage.write_units),
                   "strong_reads": {call: op.per_run(count) for call, count in op.usage.strong_reads.items()},
                   "emails": op.per_run(op.usage.emails), "log_bytes": op.per_run(op.tally.log_bytes),
                   "median_ms": 1000 * median(op.seconds)} for name, op in operations.items()}  # fmt: skip
