"""Reads an OpenMetrics exposition with prometheus_client's parser; prints it as JSON.

Used by parse.sh (which provides the virtual environment) and by the kernel test
Tests/KernelTests/MetricsKernelTests.swift, which checks the values against the kernel.
"""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
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
            for family in text_string_to_metric_families(text)
        ]
    except Exception as error:  # the parser's verdict, whatever its type
        print(f"parse.py: the OpenMetrics parser refused the text: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
