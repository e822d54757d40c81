# Sourced by the scripts of Integrations/ that run Python packages from PyPI.
#
# python_venv VENV SPEC CHECK...: unless `VENV/bin/CHECK...` succeeds, (re)creates the
#   virtual environment VENV and installs SPEC into it from PyPI; installs Debian's
#   python3-venv first when Python has no venv module. PYTHON: the Python (default python3).
python_venv() {
    local venv=$1 spec=$2 python=${PYTHON:-python3}
    shift 2
    if "$venv/bin/$1" "${@:2}" >/dev/null 2>&1; then
        return 0
    fi
    if ! "$python" -c 'import ensurepip, venv' 2>/dev/null && command -v apt-get >/dev/null; then
        echo "installing python3-venv" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    echo "creating $venv with $spec" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$spec" >&2
}
