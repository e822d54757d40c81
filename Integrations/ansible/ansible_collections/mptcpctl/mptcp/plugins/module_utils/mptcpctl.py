# -*- coding: utf-8 -*-
# Copyright (c) 2026 the mptcpctl authors
# SPDX-License-Identifier: MIT

"""Running mptcpctl from a module: finding it, and reading its JSON output."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

# `make install` puts mptcpctl in $(PREFIX)/sbin, which a non-login PATH may lack.
SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin']


def find_mptcpctl(module):
    """The mptcpctl to run: the `executable` option, or mptcpctl on PATH (or an sbin)."""
    executable = module.params.get('executable')
    if executable:
        if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
            module.fail_json(msg='executable %s is not an executable file' % executable)
        return executable
    return module.get_bin_path('mptcpctl', required=True, opt_dirs=SBIN_DIRS)


def mptcpctl_command(executable, netns, *words):
    """`mptcpctl [-n NETNS] WORDS...`"""
    command = [executable]
    if netns:
        command += ['-n', netns]
    command += list(words)
    return command


def failure_message(command, rc, stderr):
    """mptcpctl's own message (its stderr), or what is known when it said nothing."""
    message = (stderr or '').strip()
    if message:
        return message
    return '%s exited %d without a message' % (' '.join(command), rc)


def run_mptcpctl(module, command, data=None, ok_codes=(0,)):
    """Runs mptcpctl; fails the task with its message unless the exit code is in ok_codes.

    Returns (rc, stdout, stderr)."""
    rc, stdout, stderr = module.run_command(command, data=data)
    if rc not in ok_codes:
        module.fail_json(msg=failure_message(command, rc, stderr), rc=rc, cmd=command,
                         stdout=stdout, stderr=stderr)
    return rc, stdout, stderr


def parse_json(module, command, stdout, stderr='', rc=0):
    """mptcpctl's -j output as Python values; fails the task if it is not JSON."""
    try:
        return json.loads(stdout)
    except ValueError as error:
        module.fail_json(msg='%s printed output that is not JSON: %s' % (' '.join(command), error),
                         rc=rc, cmd=command, stdout=stdout, stderr=stderr)


def run_json(module, command):
    """Runs a read-only `mptcpctl -j ...` command and returns its JSON output."""
    rc, stdout, stderr = run_mptcpctl(module, command)
    return parse_json(module, command, stdout, stderr, rc)
