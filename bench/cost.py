"""What a season costs on AWS: every operation of a season driven through `lambda_handler` on DynamoDB and SES (a
moto server on loopback), every AWS call counted with what it reads and writes, multiplied by a workload profile
(`cost_profile.json`) and a dated price table (`cost_prices.json`, each price with its source).

Counted per operation (`_cost_season.py`): AWS calls by service and operation, DynamoDB read and write request
units computed from the item sizes as AWS defines them (index writes included, `tests/aws_meter.py`), emails sent,
Lambda invocations (the asynchronous self-invocation that delivers an operation's mail included,
`_cost_lambda.py`), the bytes the function logs, and the handler's time (this machine's, standing in for
Lambda's). Not counted: the free tier, data transfer between services in the region (free), the dispatch page's
bytes beyond `page_bytes_first_visit`.

Prints a table per operation, the bill per service and, last, exactly one line:
`season cost: $X.XX/month at 2,000 charters, $Y.YY/month at 20,000 (list prices, no free tier)`.
`make bench` runs it with the others; `.venv/bin/python bench/cost.py [RUNS]` alone.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
NAME = "cost"
RUNS = 5
SMALL, LARGE = 2_000, 20_000


def main(seconds: float | None = None) -> None:
    """`seconds` (from `bench/run.py --seconds`) is taken as the number of runs of each operation, at least 2."""
    if str(HERE.parent) not in sys.path:  # the meter and the emulator the tests use
        sys.path.insert(0, str(HERE.parent))
    from tests.moto_server import moto_server

    from _cost_bill import (
        PLATFORM_LOG_BYTES,
        bill,
        by_operation,
        print_bill,
        print_operations,
        report,
        template_quiets_platform_logs,
    )
    from _cost_season import Season
    from _harness import Machine, write_results

    runs = RUNS if seconds is None else max(2, int(seconds))
    machine = Machine.here()
    print(machine.describe())
    prices = json.loads((HERE / "cost_prices.json").read_text())
    profile = json.loads((HERE / "cost_profile.json").read_text())
    with tempfile.TemporaryDirectory(prefix="scc-cost-") as scratch, moto_server() as endpoint:
        operations = Season(Path(scratch), endpoint, runs).measure()
    platform_logs = 0 if template_quiets_platform_logs() else PLATFORM_LOG_BYTES
    small, large = (bill(operations, profile, prices, platform_logs, charters) for charters in (SMALL, LARGE))
    print_operations(operations, by_operation(operations, profile, prices, platform_logs, SMALL), SMALL)
    print_bill(small, SMALL)
    print_bill(large, LARGE)
    monthly = {str(SMALL): small, str(LARGE): large}
    write_results(NAME, {"machine": machine.describe(), "runs": runs, "prices_as_of": prices["as_of"],
                         "operations": report(operations), "monthly": monthly})  # fmt: skip
    print(f"season cost: ${sum(small.values()):.2f}/month at {SMALL:,} charters, ${sum(large.values()):.2f}/month at "
          f"{LARGE:,} (list prices, no free tier)")  # fmt: skip


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else None)
