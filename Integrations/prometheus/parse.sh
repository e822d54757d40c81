#!/usr/bin/env bash
# Parses an OpenMetrics exposition (`mptcpctl counters --format openmetrics`) with
# prometheus_client's OpenMetrics parser, or with --prometheus one in Prometheus' text
# format (`--format prometheus`) with its parser for that, and prints what it read as
# JSON, one object:
#   {"families": [{"name", "type", "help", "unit", "samples": [{"name", "labels", "value"}]}]}
# The parser refuses anything the format does not allow (a missing "# EOF", a counter
# sample without _total, families split apart, bad escaping): then this prints its
# message on standard error and exits 1.
#
#   Integrations/prometheus/parse.sh [--prometheus] FILE        (- for standard input)
#
# METRICS_VENV: the virtual environment with prometheus_client (default .venv-metrics/ in
#   the repository, git-ignored); created, and prometheus_client installed from PyPI, when
#   it cannot import it yet.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${METRICS_VENV:-$repo/.venv-metrics}
spec='prometheus-client>=0.20,<1'
if ! "$venv/bin/python" -c 'import prometheus_client.openmetrics.parser' >/dev/null 2>&1; then
    python=${PYTHON:-python3}
    if ! "$python" -c 'import ensurepip, venv' 2>/dev/null && command -v apt-get >/dev/null; then
        echo "installing python3-venv" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    echo "creating $venv with $spec" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$spec" >&2
fi
exec "$venv/bin/python" "$here/parse.py" "$@"
