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
source "$repo/Integrations/venv.sh"
python_venv "$venv" "$spec" python -c 'import prometheus_client.openmetrics.parser'
exec "$venv/bin/python" "$here/parse.py" "$@"
