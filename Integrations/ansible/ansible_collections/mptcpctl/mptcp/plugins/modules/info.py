#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 the mptcpctl authors
# SPDX-License-Identifier: MIT

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: info
short_description: Read a network namespace's MPTCP endpoints, limits, counters and connections
description:
  - Runs C(mptcpctl -j endpoint show), C(mptcpctl -j limits show),
    C(mptcpctl -j counters) and C(mptcpctl -j connections) on the target and returns
    what they print under RV(mptcp).
  - Changes nothing.
version_added: 0.1.0
author:
  - mptcpctl authors (!UNKNOWN)
requirements:
  - mptcpctl on the target
  - root on the target to read another namespace (CAP_SYS_ADMIN to enter it)
options:
  netns:
    description:
      - The network namespace (a name under C(/run/netns)) to read.
      - Left out, the namespace C(mptcpctl) runs in.
    type: str
  executable:
    description:
      - Path of C(mptcpctl) on the target. By default C(mptcpctl) is looked up on
        C(PATH) and in the C(sbin) directories.
    type: path
attributes:
  check_mode:
    support: full
    details: The module only reads, in check mode as otherwise.
  diff_mode:
    support: none
  platform:
    platforms: posix
    support: full
    details: Linux with MPTCP (Linux 5.6 or later).
seealso:
  - module: mptcpctl.mptcp.state
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
'''

EXAMPLES = r'''
- name: Read namespace client
  mptcpctl.mptcp.info:
    netns: client
  register: client

- name: The client has its address endpoints, and accepts announcements
  ansible.builtin.assert:
    that:
      - "'10.0.2.1' in client.mptcp.endpoints | map(attribute='address')"
      - client.mptcp.limits.add_addr_accepted >= 1
      - client.mptcp.counters.endpoints.address == 2
'''

RETURN = r'''
mptcp:
  description: The namespace's MPTCP path manager state.
  returned: always
  type: dict
  contains:
    netns:
      description: The namespace read (the O(netns) option); null for the namespace mptcpctl runs in.
      type: str
      returned: always
      sample: client
    endpoints:
      description:
        - The endpoints, sorted by id, as C(mptcpctl -j endpoint show) prints them
          (C(address), C(id), C(port), C(dev), C(ifindex), C(flags), and the flag keys of
          C(ip -j mptcp endpoint show)).
      type: list
      elements: dict
      returned: always
      sample:
        - {address: 10.0.2.1, id: 1, subflow: true, ifindex: 0, flags: [subflow]}
    limits:
      description: The limits, as C(mptcpctl -j limits show) prints them.
      type: dict
      returned: always
      sample: {subflows: 2, add_addr_accepted: 0}
    counters:
      description:
        - C(mptcpctl -j counters) of the namespace - C(endpoints) counts by flag,
          C(limits) and the kernel's own counters C(kernel) (MPTCP_INFO).
      type: dict
      returned: always
      sample:
        netns: client
        endpoints: {total: 1, signal: 0, subflow: 1, address: 0, fullmesh: 0, backup: 0, implicit: 0}
        limits: {subflows: 2, add_addr_accepted: 0}
        kernel: {endp_signal_max: 0, endp_subflow_max: 1, endp_address_max: 0, limit_subflows: 2, limit_add_addr_accepted: 0}
    connections:
      description:
        - The open MPTCP connections (listeners left out) with their subflows, as
          C(mptcpctl -j connections) prints them; empty when there are none.
      type: list
      elements: dict
      returned: always
      sample: []
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mptcpctl.mptcp.plugins.module_utils.mptcpctl import (
    find_mptcpctl,
    mptcpctl_command,
    run_json,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            netns=dict(type='str'),
            executable=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    executable = find_mptcpctl(module)
    netns = module.params['netns']

    def read(*words):
        return run_json(module, mptcpctl_command(executable, netns, '-j', *words))

    mptcp = dict(
        netns=netns,
        endpoints=read('endpoint', 'show'),
        limits=read('limits', 'show'),
        counters=read('counters'),
        connections=read('connections'),
    )
    module.exit_json(changed=False, mptcp=mptcp)


if __name__ == '__main__':
    main()
