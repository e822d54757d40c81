#!/usr/bin/env bash
# Tests of the Ansible collection mptcpctl.mptcp: real ansible-playbook runs against
# localhost (connection: local) on throwaway network namespaces, the kernel checked
# afterwards, then `ansible-test sanity` on the collection. Needs root.
#
#   MPTCPCTL=/path/to/mptcpctl Integrations/ansible/test.sh
#
# MPTCPCTL: the mptcpctl to test (default .build/debug/mptcpctl of the repository), with
#   mptcpctl-apply beside it.
# ANSIBLE_VENV: the Python virtual environment with ansible-core (default .venv-ansible/
#   in the repository, git-ignored); created, and ansible-core installed from PyPI, when
#   it has no ansible-playbook yet.
# ANSIBLE_SANITY=0 skips ansible-test sanity. ANSIBLE_TEST_LOGS=DIR keeps the logs of the
#   playbook runs in DIR.
# Ends with "ansible: N passed, M failed"; exits 1 when any check failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
collection=$here/ansible_collections/mptcpctl/mptcp
tests=$here/tests

MPTCPCTL=${MPTCPCTL:-$repo/.build/debug/mptcpctl}
case $MPTCPCTL in /*) ;; *) MPTCPCTL=$PWD/$MPTCPCTL ;; esac
if [ ! -x "$MPTCPCTL" ] || [ ! -x "$(dirname "$MPTCPCTL")/mptcpctl-apply" ]; then
    echo "ansible tests: need $MPTCPCTL and mptcpctl-apply beside it (set MPTCPCTL, or build first)" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "ansible tests: need root (they create network namespaces)" >&2
    exit 2
fi

# --- ansible-core in a virtual environment ------------------------------------------
source "$here/venv.sh"
"$venv/bin/ansible-playbook" --version | sed -n 1p   # sed reads it all: head would close the pipe on ansible

# --- throwaway namespaces, deleted on any exit ---------------------------------------
prefix=mptcpctl-test-ansible-$$
ns=$prefix-a
ns2=$prefix-b
ns3=$prefix-c
work=$(mktemp -d)
cleanup() {
    for name in "$ns" "$ns2" "$ns3"; do
        ip netns del "$name" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for name in "$ns" "$ns2" "$ns3"; do
    ip netns add "$name"
    ip -n "$name" link set lo up
done
ip -n "$ns" link add v0 type veth peer name v1

export PATH="$(dirname "$MPTCPCTL"):$venv/bin:$PATH"   # the modules find mptcpctl on PATH
export ANSIBLE_COLLECTIONS_PATH=$here
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ANSIBLE_HOME=$work/ansible-home
export ANSIBLE_LOCAL_TEMP=$work/ansible-tmp
export ANSIBLE_REMOTE_TEMP=$work/ansible-tmp
export ANSIBLE_PYTHON_INTERPRETER=$venv/bin/python
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=false
unset ANSIBLE_CONFIG

# --- checks --------------------------------------------------------------------------
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; }

# The log of the run called NAME.
logfile() { printf '%s/%s.log' "$work" "$(printf '%s' "$1" | tr -c 'A-Za-z0-9.,=-' '_')"; }

# play NAME PLAYBOOK [ARGS...]: an ansible-playbook run that must succeed (its assert
# tasks are the checks); its log is kept (logfile NAME).
play() {
    local name=$1 playbook=$2 log
    shift 2
    log=$(logfile "$name")
    case $playbook in /*) ;; *) playbook=$tests/$playbook ;; esac
    if (cd "$work" && ansible-playbook -v -i localhost, "$playbook" -e "ns=$ns" -e "ns2=$ns2" "$@") \
        >"$log" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/    /' "$log" | tail -n 40
    fi
}

# log_has NAME LOG REGEX: the log of a run shows REGEX.
log_has() {
    if grep -Eq -- "$3" "$(logfile "$2")"; then pass "$1"; else fail "$1: no line matching '$3' in the $2 run"; fi
}

# kernel_is NAME NETNS JSON: `mptcpctl -n NETNS -j export` equals JSON.
kernel_is() {
    local actual
    actual=$("$MPTCPCTL" -n "$2" -j export 2>&1) || true
    if "$venv/bin/python" -c 'import json, sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' \
        "$actual" "$3" 2>/dev/null; then
        pass "$1"
    else
        fail "$1"
        echo "    expected: $3"
        echo "    found:    $actual"
    fi
}

state_a='{"limits":{"subflows":4,"add_addr_accepted":2},"endpoints":[
  {"address":"10.0.2.1","id":1,"flags":["subflow"]},
  {"address":"10.0.3.1","id":2,"flags":["backup","address"]},
  {"address":"2001:db8::1","id":3,"dev":"v0","flags":["signal"]}]}'
state_b='{"limits":{"subflows":3,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.2.1","id":1,"flags":["subflow","backup"]},
  {"address":"2001:db8::1","id":3,"dev":"v0","flags":["subflow"]},
  {"address":"10.0.4.1","id":4,"flags":["address"]}]}'

# 1. apply: changed, and the kernel has it (mptcpctl's export, and ip's own view)
play "apply state A: changed" apply.yml -e expect_changed=true
kernel_is "apply state A: the kernel has A" "$ns" "$state_a"
addresses=$(ip -n "$ns" mptcp endpoint show | awk '{print $1}' | sort | tr '\n' ' ')
if [ "$addresses" = "10.0.2.1 10.0.3.1 2001:db8::1 " ]; then
    pass "apply state A: ip mptcp endpoint show agrees"
else
    fail "apply state A: ip mptcp endpoint show lists '$addresses'"
fi

# 2. the same again: not changed
play "apply state A again: not changed" apply.yml -e expect_changed=false
log_has "apply state A again: the recap says changed=0" "apply state A again: not changed" 'localhost +: ok=2 +changed=0 +unreachable=0 +failed=0'

# 3. check mode with state B: reported, not applied
play "check mode, state B: changed, with a diff" check_diff.yml --check --diff
log_has "check mode, state B: the diff shows the new endpoint" "check mode, state B: changed, with a diff" '^\+ +"address": "10\.0\.4\.1"'
log_has "check mode, state B: the diff shows the deleted endpoint" "check mode, state B: changed, with a diff" '^- +"address": "10\.0\.3\.1"'
kernel_is "check mode, state B: the kernel still has A" "$ns" "$state_a"

# 4. apply state B with --diff: before and after from export
play "apply state B with --diff" diff_apply.yml --diff
kernel_is "apply state B: the kernel has B" "$ns" "$state_b"

# 5. a state the kernel refuses: the task fails with mptcpctl's message, ns as it was
play "refused state: task fails with the kernel's answer" refused.yml
kernel_is "refused state: the kernel still has B" "$ns" "$state_b"

# 6. info: the facts, also in check mode
play "info: endpoints, limits, counters" info.yml
play "info in check mode" info.yml --check

# 7. src: a YAML file on the target, keep_unlisted
cat >"$work/state.yaml" <<'YAML'
# flags as one word with commas, and a list
limits: {subflows: 2, add_addr_accepted: 1}
endpoints:
  - address: 10.0.5.1
    id: 5
    flags: subflow,backup
  - {address: 10.0.6.1, id: 6, flags: [address]}
YAML
play "src file: changed once, then not; keep_unlisted" src.yml -e "state_file=$work/state.yaml"
kernel_is "src file: the kernel has the file and the kept endpoint" "$ns2" '{"limits":{"subflows":2,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.5.1","id":5,"flags":["subflow","backup"]},
  {"address":"10.0.6.1","id":6,"flags":["address"]},
  {"address":"10.0.7.1","id":7,"flags":["subflow"]}]}'

# 8. several namespaces in one state
play "several namespaces with --diff" several.yml --diff
kernel_is "several namespaces: ns has its one endpoint" "$ns" '{"limits":{"subflows":3,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.2.1","id":1,"flags":["signal"]}]}'
kernel_is "several namespaces: ns2 has none" "$ns2" '{"limits":{"subflows":2,"add_addr_accepted":1},"endpoints":[]}'

# 9. several namespaces, one refused: it is rolled back, the other stays applied
play "several namespaces, one refused" partial.yml
kernel_is "one refused: ns is as it was" "$ns" '{"limits":{"subflows":3,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.2.1","id":1,"flags":["signal"]}]}'
kernel_is "one refused: ns2 has its endpoint" "$ns2" '{"limits":{"subflows":2,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.5.5","id":5,"flags":["subflow"]}]}'

# 10. mistakes: the task fails, nothing changes
play "mistakes fail the task" errors.yml
kernel_is "mistakes: ns unchanged" "$ns" '{"limits":{"subflows":3,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.2.1","id":1,"flags":["signal"]}]}'

# 11. the playbook of Docs/ansible.md, as written there, on ns3: twice
awk '/<!-- test.sh runs this playbook -->/ {found = 1; next}
     found && /^```yaml/ {inside = 1; next}
     inside && /^```/ {exit}
     inside {print}' "$repo/Docs/ansible.md" >"$work/example.yml"
if [ -s "$work/example.yml" ]; then
    play "Docs/ansible.md playbook" "$work/example.yml" -e "netns=$ns3"
    log_has "Docs/ansible.md playbook: changed" "Docs/ansible.md playbook" 'localhost +: ok=[0-9]+ +changed=1 '
    play "Docs/ansible.md playbook again" "$work/example.yml" -e "netns=$ns3"
    log_has "Docs/ansible.md playbook again: not changed" "Docs/ansible.md playbook again" 'localhost +: ok=[0-9]+ +changed=0 '
else
    fail "Docs/ansible.md has no playbook after '<!-- test.sh runs this playbook -->'"
fi

# 12. the collection as a tarball (`make dist-ansible`): built without a warning, installed
# with ansible-galaxy into a directory of its own, and its modules run from there alone
# (the source tree off ANSIBLE_COLLECTIONS_PATH) on ns3
if tarball=$("$here/build.sh" "$work/dist" 2>"$(logfile "tarball build")"); then
    pass "tarball: ansible-galaxy collection build wrote $(basename "$tarball")"
    # (With the source tree on the collections path, ansible-galaxy finds 0.1.0 there and installs nothing.)
    if ANSIBLE_COLLECTIONS_PATH=$work/installed ansible-galaxy collection install "$tarball" -p "$work/installed" \
        >"$(logfile "tarball install")" 2>&1 \
        && grep -q "^mptcpctl.mptcp:$(sed -n 's/^version: *//p' "$collection/galaxy.yml") was installed successfully" "$(logfile "tarball install")"; then
        pass "tarball: ansible-galaxy collection install"
    else
        fail "tarball: ansible-galaxy collection install"
        sed 's/^/    /' "$(logfile "tarball install")" | tail -n 20
    fi
    cat >"$work/installed.yml" <<'YAML'
- name: The installed collection's modules
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Apply a state with the installed state module
      mptcpctl.mptcp.state:
        netns: "{{ ns3 }}"
        state:
          limits: {subflows: 1, add_addr_accepted: 1}
          endpoints: [{address: 10.0.9.1, id: 9, flags: [subflow]}]
      register: applied
    - name: Read it back with the installed info module
      mptcpctl.mptcp.info:
        netns: "{{ ns3 }}"
      register: facts
    - name: Applied, and read back
      ansible.builtin.assert:
        that:
          - applied is changed
          - facts.mptcp.endpoints | map(attribute='address') | list == ['10.0.9.1']
YAML
    ANSIBLE_COLLECTIONS_PATH=$work/installed play "tarball: the installed modules run" "$work/installed.yml" -e "ns3=$ns3"
    if ANSIBLE_COLLECTIONS_PATH=$work/installed ansible-doc mptcpctl.mptcp.state 2>&1 \
        | grep -qF "$work/installed/ansible_collections/mptcpctl/mptcp/plugins/modules/state.py"; then
        pass "tarball: ansible-doc finds the state module in the installed copy"
    else
        fail "tarball: ansible-doc does not find the state module in the installed copy"
    fi
    kernel_is "tarball: the kernel has the state" "$ns3" '{"limits":{"subflows":1,"add_addr_accepted":1},"endpoints":[
  {"address":"10.0.9.1","id":9,"flags":["subflow"]}]}'
else
    fail "tarball: ansible-galaxy collection build"
    sed 's/^/    /' "$(logfile "tarball build")" | tail -n 20
fi

if [ -n "${ANSIBLE_TEST_LOGS:-}" ]; then
    mkdir -p "$ANSIBLE_TEST_LOGS"
    cp "$work"/*.log "$ANSIBLE_TEST_LOGS"/
fi

# --- ansible-test sanity ---------------------------------------------------------------
# Every sanity test ansible-test has, on this Python, in the virtual environment; the
# requirements of each test come from PyPI. ansible-test fetches get-pip.py from its
# own server (unreachable here) to put pip in each test's venv: a stand-in at the path
# it caches that script under does the same with Python's ensurepip and PyPI. HOME is
# in the venv so that ansible-test's caches stay there.
if [ "${ANSIBLE_SANITY:-1}" != 0 ]; then
    sanity_home=$venv/ansible-test-home
    pip_version=$("$venv/bin/python" - <<'PY'
import pathlib, re, ansible_test
source = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
print(re.search(r"pip='([0-9.]+)'", source.read_text()).group(1))
PY
)
    mkdir -p "$sanity_home/.ansible/test/cache"
    cat >"$sanity_home/.ansible/test/cache/get_pip_${pip_version//./_}.py" <<'PY'
# Stand-in for get-pip.py (written by Integrations/ansible/test.sh): pip from Python's
# ensurepip, then the pip version and packages ansible-test asks for, from PyPI.
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q'] + args)
PY
    python_version=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if (cd "$collection" && HOME=$sanity_home ansible-test sanity --local --requirements --python "$python_version") \
        >"$work/sanity.log" 2>&1; then
        pass "ansible-test sanity ($(grep -c '^Running sanity test' "$work/sanity.log") tests, Python $python_version)"
    else
        fail "ansible-test sanity"
        grep -Ev '^(Requirement already|Collecting|  Downloading|Installing|Successfully|Using cached)' "$work/sanity.log" \
            | sed 's/^/    /' | tail -n 40
    fi
fi

echo "ansible: $passed passed, $failed failed"
[ "$failed" = 0 ]
