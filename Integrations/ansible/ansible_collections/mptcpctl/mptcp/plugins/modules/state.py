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
      - C(after) is each namespace's C(after) in the output of C(mptcpctl apply -j), read
        as C(mptcpctl -j export) reads it once the plan is carried out. In check mode it is
        the state the plan would leave, as C(mptcpctl apply --dry-run -j) works it out
        (an endpoint the kernel will number has no C(id)).
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
        C(set limits), C(set sysctl)), C(id) and C(address) of the endpoint when the step
        is about one, and C(text), the step as C(mptcpctl apply) prints it.
      type: list
      elements: dict
      returned: always
    outcome:
      description: >-
        How the namespace's plan ended: C(unchanged) (nothing to do), C(planned) (check
        mode), C(applied), C(rolled back) (a step failed and the namespace is as it was),
        C(rollback failed), or C(failed) (the steps were taken, reading them back failed).
      type: str
      returned: always
    failure:
      description: When a step failed, the C(step) to blame (null when none is) and C(mptcpctl)'s C(message).
      type: dict
      returned: when the namespace's plan failed
    after:
      description: The namespace afterwards, as C(mptcpctl -j export) writes it (in check mode, as the plan would leave it).
      type: dict
      returned: always
  sample:
    - netns: client
      steps:
        - {action: add, id: 1, address: 10.0.2.1, text: add 10.0.2.1 id 1 subflow}
        - {action: set limits, text: "set limits subflows 2 -> 4"}
      outcome: applied
      after:
        limits: {subflows: 4, add_addr_accepted: 0}
        endpoints:
          - {address: 10.0.2.1, id: 1, flags: [subflow]}
stderr:
  description: What C(mptcpctl apply) wrote on standard error (warnings; in check mode the count of pending changes).
  returned: success
  type: str
  sample: ''
'''

import json

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
        # A namespace that failed was rolled back; with several, the others stay applied.
        changed = any(entry.get('outcome') == 'applied' for entry in plan or [])
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


def state_after(module, plan):
    """Each namespace's `after` from `apply -j`, in the shape of the state; None when one is missing."""
    if several_namespaces(module, plan):
        after = dict((entry['netns'], entry.get('after')) for entry in plan)
        return None if None in after.values() else {'namespaces': after}
    return plan[0].get('after') if plan else None


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
        after = state_after(module, plan)
        if after is None:
            result['diff'] = dict(before_header='mptcpctl export',
                                  before=json.dumps(before, indent=4, sort_keys=True) + '\n',
                                  after_header='planned steps (the state after could not be read)',
                                  after=planned_steps(plan))
        elif module.check_mode:
            result['diff'] = dict(before=before, after=after, before_header='mptcpctl export',
                                  after_header='planned state (check mode)')
        else:
            result['diff'] = dict(before=before, after=after, before_header='mptcpctl export (before)',
                                  after_header='mptcpctl export (after)')

    module.exit_json(**result)


if __name__ == '__main__':
    main()
