# Sourced by test.sh and build.sh: ansible-core in a Python virtual environment, created
# (ansible-core from PyPI) when it has no working ansible-playbook yet. Sets `venv`;
# needs `repo` (the repository's top directory).
#
# ANSIBLE_VENV: the virtual environment (default .venv-ansible/ in the repository,
#   git-ignored).
source "$repo/Integrations/venv.sh"
venv=${ANSIBLE_VENV:-$repo/.venv-ansible}
ansible_spec='ansible-core>=2.19,<2.20'   # tests/sanity/ignore-2.19.txt matches this version
if ! "$venv/bin/ansible-playbook" --version >/dev/null 2>&1 \
    && ! "${PYTHON:-python3}" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "ansible: ${PYTHON:-python3} is older than 3.11, which ansible-core 2.19 needs" >&2
    exit 2
fi
python_venv "$venv" "$ansible_spec" ansible-playbook --version
