"""Reads an exposition with prometheus_client's parsers; prints what they read as JSON.

parse.py [--prometheus] FILE: OpenMetrics (`--format openmetrics`) by default, with
--prometheus the Prometheus text format 0.0.4 (`--format prometheus`).

Used by parse.sh (which provides the virtual environment) and by the kernel test
Tests/KernelTests/Metrics/MetricsKernelTests.swift, which checks the values against the kernel.
"""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families as prometheus_families


def main() -> int:
    arguments = sys.argv[1:]
    prometheus = "--prometheus" in arguments
    arguments = [a for a in arguments if a != "--prometheus"]
    path = arguments[0] if arguments else "-"
    parse = prometheus_families if prometheus else openmetrics_families
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    try:
        families = [
            {
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "unit": family.unit,
                "samples": [
                    {"name": s.name, "labels": dict(s.labels), "value": s.value}
                    for s in family.samples
                ],
            }
            for family in parse(text)
        ]
    except Exception as error:  # the parser's verdict, whatever its type
        print(f"parse.py: the {'Prometheus' if prometheus else 'OpenMetrics'} parser refused the text: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
