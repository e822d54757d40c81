#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 the mptcpctl authors
# SPDX-License-Identifier: MIT

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: state
short_description: Make network namespaces' MPTCP endpoints and limits match a desired state
description:
  - Runs C(mptcpctl apply -j) on the target, which makes one or more network namespaces
    match a desired state, its MPTCP path manager limits and its full set of endpoints,
    idempotently and all or nothing per namespace.
  - The desired state is given inline (O(state)) or as a file on the target (O(src)),
    in the format of an C(mptcpctl apply) file. The module does not interpret it;
    C(mptcpctl) validates it, plans the steps and carries them out, so every key that
    C(mptcpctl apply) knows works here too.
  - When the kernel refuses a step, C(mptcpctl) rolls the namespace back to the state it
    had before, and the task fails with C(mptcpctl)'s message.
version_added: 0.1.0
author:
  - mptcpctl authors (!UNKNOWN)
requirements:
  - mptcpctl (and the mptcpctl-apply beside it) on the target
  - root on the target (CAP_NET_ADMIN, and CAP_SYS_ADMIN to enter a namespace)
options:
  state:
    description:
      - The desired state, with the keys of an C(mptcpctl apply) file (see C(Docs/apply.md))
        - C(limits) (C(subflows), C(add_addr_accepted)) and C(endpoints) (a list of
        C(address), C(id), C(port), C(dev), C(flags)) for one namespace, or
        C(namespaces) mapping namespace names to such states.
      - A key left out is not managed; C(endpoints=[]) deletes every endpoint.
      - It is passed to C(mptcpctl apply) as JSON on standard input.
      - Mutually exclusive with O(src); one of the two is required.
    type: dict
  src:
    description:
      - Path of an C(mptcpctl apply) file (YAML or JSON) on the target.
      - Mutually exclusive with O(state); one of the two is required.
    type: path
  netns:
    description:
      - The network namespace (a name under C(/run/netns)) of a one-namespace state.
      - Left out, a one-namespace state applies to the namespace C(mptcpctl) runs in.
      - Cannot go with a state that has C(namespaces).
    type: str
  keep_unlisted:
    description:
      - Keep the endpoints the state does not list (C(mptcpctl apply --keep-unlisted)).
        By default they are deleted.
    type: bool
    default: false
  executable:
    description:
      - Path of C(mptcpctl) on the target. By default C(mptcpctl) is looked up on
        C(PATH) and in the C(sbin) directories.
    type: path
attributes:
  check_mode:
    support: full
    details: Runs C(mptcpctl apply --dry-run -j), which changes nothing and reports the steps it would take.
  diff_mode:
    support: full
    details:
      - C(before) is C(mptcpctl -j export) of each namespace before the task.
      - C(after) is the same export after applying; in check mode it is the desired state
        merged into C(before), a best-effort statement of what applying would give (the
        kernel picks the ids of endpoints that have none).
  platform:
    platforms: posix
    support: full
    details: Linux with MPTCP (Linux 5.6 or later).
notes:
  - In check mode C(mptcpctl apply --dry-run) exits 6 when changes are pending; that is
    reported as C(changed=true), not as a failure.
  - With several namespaces, each is applied on its own; one that the kernel refuses is
    rolled back and the others stay applied.
seealso:
  - module: mptcpctl.mptcp.info
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
'''

EXAMPLES = r'''
- name: Two address endpoints and the limits they need, in namespace client
  mptcpctl.mptcp.state:
    netns: client
    state:
      limits:
        subflows: 2
        add_addr_accepted: 2
      endpoints:
        - {address: 10.0.2.1, dev: eth1, flags: [address]}
        - {address: 10.0.3.1, dev: eth2, flags: [address]}

- name: Several namespaces at once
  mptcpctl.mptcp.state:
    state:
      namespaces:
        server:
          limits: {subflows: 2, add_addr_accepted: 0}
          endpoints:
            - {address: 10.0.2.2, id: 1, flags: [signal]}
        client:
          endpoints: []

- name: A file on the target, keeping endpoints it does not list
  mptcpctl.mptcp.state:
    src: /etc/mptcpctl/state.yaml
    keep_unlisted: true
'''

RETURN = r'''
steps:
  description:
    - The plan, per namespace, as C(mptcpctl apply -j) prints it. In check mode, the steps
      that would be taken. A namespace with nothing to do has an empty list.
  returned: success
  type: list
  elements: dict
  contains:
    netns:
      description: The namespace's name; null for the namespace mptcpctl runs in.
      type: str
      returned: always
    steps:
      description: >-
        One object per step: C(action) (C(add), C(delete), C(change), C(replace),
        C(set limits)), C(id) and C(address) of the endpoint when the step is about one,
        and C(text), the step as C(mptcpctl apply) prints it.
      type: list
      elements: dict
      returned: always
  sample:
    - netns: client
      steps:
        - {action: add, id: 1, address: 10.0.2.1, text: add 10.0.2.1 id 1 subflow}
        - {action: set limits, text: "set limits subflows 2 -> 4"}
stderr:
  description: What C(mptcpctl apply) wrote on standard error (warnings; in check mode the count of pending changes).
  returned: success
  type: str
  sample: ''
'''

import json
import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mptcpctl.mptcp.plugins.module_utils.mptcpctl import (
    failure_message,
    find_mptcpctl,
    mptcpctl_command,
    parse_json,
    run_json,
)

# `apply --dry-run`: 0 when nothing is pending, 6 when changes are.
DRY_RUN_PENDING = 6

# The flags in the kernel's bit order, as `mptcpctl export` lists them.
FLAG_ORDER = ['signal', 'subflow', 'backup', 'fullmesh', 'implicit', 'address']

# "mptcpctl: apply: NAME: STEP: the kernel refused: ..." names the namespace that failed.
REFUSED_NAMESPACE = re.compile(r'^mptcpctl: apply: (\S+?): ', re.MULTILINE)


def run_apply(module, executable, dry_run):
    """`mptcpctl apply [--dry-run] -j`: the plan, the exit code and stderr."""
    params = module.params
    words = ['apply']
    if dry_run:
        words.append('--dry-run')
    if params['keep_unlisted']:
        words.append('--keep-unlisted')
    words.append('-j')
    if params['src'] is not None:
        words.append(params['src'])
        data = None
    else:
        words.append('-')
        data = json.dumps(params['state'])
    command = mptcpctl_command(executable, params['netns'], *words)
    rc, stdout, stderr = module.run_command(command, data=data)
    ok_codes = (0, DRY_RUN_PENDING) if dry_run else (0,)
    if rc not in ok_codes:
        plan = None
        try:
            plan = json.loads(stdout) if stdout.strip() else None
        except ValueError:
            pass
        failed = set(REFUSED_NAMESPACE.findall(stderr or ''))
        # A namespace that failed was rolled back; with several, the others stay applied.
        changed = bool(not dry_run and plan and len(plan) > 1 and any(
            entry.get('steps') and entry.get('netns') not in failed for entry in plan))
        module.fail_json(msg=failure_message(command, rc, stderr), rc=rc, cmd=command,
                         stdout=stdout, stderr=stderr, steps=plan, changed=changed)
    plan = parse_json(module, command, stdout, stderr, rc)
    return plan, rc, stderr


def several_namespaces(module, plan):
    """True when the state named its namespaces (`namespaces:`), false for one namespace."""
    return not module.params['netns'] and any(entry.get('netns') is not None for entry in plan)


def export(module, executable, plan):
    """`mptcpctl -j export` of the namespaces of the plan, in the shape of the state."""
    netns = module.params['netns']
    if not several_namespaces(module, plan):
        return run_json(module, mptcpctl_command(executable, netns, '-j', 'export'))
    exports = {}
    for entry in plan:
        name = entry['netns']
        exports[name] = run_json(module, mptcpctl_command(executable, name, '-j', 'export'))
    return {'namespaces': exports}


def flag_words(flags):
    """The flags of a state entry (a list, one word or words separated by commas), in export's order."""
    if isinstance(flags, list):
        words = [str(flag) for flag in flags]
    else:
        words = re.split(r'[,\s]+', str(flags))
    words = ['address' if word == 'laminar' else word for word in words if word]
    known = [flag for flag in FLAG_ORDER if flag in words]
    return known + [word for word in words if word not in FLAG_ORDER]


def endpoint_key(endpoint):
    return (str(endpoint.get('address')), endpoint.get('port') or 0)


def desired_namespace(current, desired, keep_unlisted):
    """Best effort: what one namespace would look like once `desired` is applied."""
    after = dict(current)
    if not isinstance(desired, dict):
        return after
    if isinstance(desired.get('limits'), dict):
        limits = dict(current.get('limits') or {})
        limits.update(desired['limits'])
        after['limits'] = limits
    if isinstance(desired.get('endpoints'), list):
        present = current.get('endpoints') or []
        by_key = dict((endpoint_key(endpoint), endpoint) for endpoint in present)
        wanted = []
        for entry in desired['endpoints']:
            if not isinstance(entry, dict):
                continue
            endpoint = {'address': str(entry.get('address'))}
            endpoint_id = entry.get('id')
            if endpoint_id is None and endpoint_key(entry) in by_key:
                endpoint_id = by_key[endpoint_key(entry)].get('id')  # it keeps its id
            if endpoint_id is not None:
                endpoint['id'] = endpoint_id
            for key in ('port', 'dev'):
                if entry.get(key) is not None:
                    endpoint[key] = entry[key]
            endpoint['flags'] = flag_words(entry.get('flags', []))
            wanted.append(endpoint)
        kept = []
        if keep_unlisted:
            ids = set(endpoint['id'] for endpoint in wanted if 'id' in endpoint)
            keys = set(endpoint_key(endpoint) for endpoint in wanted)
            kept = [endpoint for endpoint in present
                    if endpoint.get('id') not in ids and endpoint_key(endpoint) not in keys]
        with_id = sorted([endpoint for endpoint in kept + wanted if 'id' in endpoint],
                         key=lambda endpoint: endpoint['id'])
        after['endpoints'] = with_id + [endpoint for endpoint in wanted if 'id' not in endpoint]
    for key, value in desired.items():
        if key not in ('limits', 'endpoints'):
            after[key] = value  # keys export does not write (future ones): as desired
    return after


def read_src(path):
    """The state in a src file, if this host can read it (JSON, or YAML with PyYAML)."""
    try:
        with open(path) as handle:
            text = handle.read()
    except (IOError, OSError):
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        import yaml
        return yaml.safe_load(text)
    except Exception:  # no PyYAML, or YAML that mptcpctl read and PyYAML does not
        return None


def desired_state(module, before, plan):
    """Best effort, for check mode's diff: `before` with the desired state applied."""
    params = module.params
    desired = params['state'] if params['src'] is None else read_src(params['src'])
    if not isinstance(desired, dict):
        return None
    keep = params['keep_unlisted']
    if 'namespaces' not in before:
        return desired_namespace(before, desired, keep)
    per_namespace = desired.get('namespaces') or {}
    return {'namespaces': dict(
        (name, desired_namespace(current, per_namespace.get(name), keep))
        for name, current in before['namespaces'].items())}


def planned_steps(plan):
    lines = []
    for entry in plan:
        for step in entry.get('steps') or []:
            prefix = '%s: ' % entry['netns'] if entry.get('netns') else ''
            lines.append(prefix + step.get('text', ''))
    return '\n'.join(lines) + '\n'


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='dict'),
            src=dict(type='path'),
            netns=dict(type='str'),
            keep_unlisted=dict(type='bool', default=False),
            executable=dict(type='path'),
        ),
        mutually_exclusive=[('state', 'src')],
        required_one_of=[('state', 'src')],
        supports_check_mode=True,
    )
    executable = find_mptcpctl(module)

    before = None
    if module._diff:
        # The plan names the namespaces to export; a dry run changes nothing.
        preview, rc, stderr = run_apply(module, executable, dry_run=True)
        before = export(module, executable, preview)

    if module.check_mode:
        plan, rc, stderr = (preview, rc, stderr) if module._diff else run_apply(module, executable, dry_run=True)
    else:
        plan, rc, stderr = run_apply(module, executable, dry_run=False)

    changed = any(entry.get('steps') for entry in plan)
    result = dict(changed=changed, steps=plan, stderr=stderr)

    if module._diff:
        if module.check_mode:
            after = desired_state(module, before, plan)
            if after is None:
                result['diff'] = dict(before_header='mptcpctl export',
                                      before=json.dumps(before, indent=4, sort_keys=True) + '\n',
                                      after_header='planned steps (the state file is not readable here)',
                                      after=planned_steps(plan))
            else:
                result['diff'] = dict(before=before, after=after, before_header='mptcpctl export',
                                      after_header='desired state (check mode)')
        else:
            after = export(module, executable, plan)
            result['diff'] = dict(before=before, after=after, before_header='mptcpctl export (before)',
                                  after_header='mptcpctl export (after)')

    module.exit_json(**result)


if __name__ == '__main__':
    main()
