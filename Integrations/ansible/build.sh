#!/usr/bin/env bash
# Builds the Ansible collection mptcpctl.mptcp as a tarball with `ansible-galaxy
# collection build` (ansible-core from the virtual environment of venv.sh), into DIR
# (default dist/ of the repository), and prints the tarball's path. Refuses a galaxy.yml
# whose version is not mptcpctl's, and a build that warns. `make dist-ansible` runs it.
#
#   Integrations/ansible/build.sh [DIR]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
collection=$here/ansible_collections/mptcpctl/mptcp
output=${1:-$repo/dist}
case $output in /*) ;; *) output=$PWD/$output ;; esac

# mptcpctl's version, as `mptcpctl --version` prints it.
version=$(sed -n 's/.*static let version = "\(.*\)"$/\1/p' "$repo/Sources/MPTCPCtlCLI/CommandLine/CommandLineTool.swift")
galaxy=$(sed -n 's/^version: *//p' "$collection/galaxy.yml")
if [ -z "$version" ] || [ "$galaxy" != "$version" ]; then
    echo "ansible build: galaxy.yml has version '$galaxy', mptcpctl is '$version': make them the same" >&2
    exit 1
fi

source "$here/venv.sh"
mkdir -p "$output"
tarball=$output/mptcpctl-mptcp-$version.tar.gz
rm -f "$tarball"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/build.log
# Not the caller's ANSIBLE_CONFIG; ansible-galaxy's cache (ANSIBLE_HOME) in the scratch
# directory, so nothing is left behind.
unset ANSIBLE_CONFIG
if ! (cd "$collection" && ANSIBLE_HOME=$work/ansible-home ANSIBLE_NOCOLOR=1 \
    "$venv/bin/ansible-galaxy" collection build --output-path "$output") >"$log" 2>&1; then
    cat "$log" >&2
    echo "ansible build: ansible-galaxy collection build failed" >&2
    exit 1
fi
if grep -q 'WARNING' "$log" || [ ! -f "$tarball" ]; then
    cat "$log" >&2
    echo "ansible build: ansible-galaxy warned, or wrote no $tarball" >&2
    exit 1
fi
echo "$tarball"
