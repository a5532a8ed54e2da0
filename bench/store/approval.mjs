/** A pending approval request as the robot stores it (about 900 bytes of JSON). */
export function approvalRequest(id, now) {
  return {
    id,
    state: 'pending',
    requester: { key: 'slack:U0123ABCD', name: 'alice', email: 'alice@example.com', roles: ['sre'] },
    incoming: {
      type: 'message',
      platform: 'slack',
      user: { id: 'U0123ABCD', name: 'alice', email: 'alice@example.com' },
      conversation: { id: 'C0123OPS', name: 'ops', kind: 'channel' },
      text: 'aws s3 block-public-access-all --account prod',
      addressed: true,
      messageId: '1733500000.000100',
      eventId: `Ev${id}`,
    },
    invocation: {
      kind: 'command',
      name: 'aws s3 block-public-access-all',
      args: { account: 'prod' },
      text: 'aws s3 block-public-access-all --account prod',
      permission: 'aws.s3.block-public-access-all',
      effect: 'write',
    },
    roles: ['admin'],
    count: 1,
    approvals: [],
    createdAt: now,
    expiresAt: now + 15 * 60_000,
    card: { platform: 'slack', conversationId: 'C0123OPS', id: '1733500000.000200' },
    slot: 0,
  };
}
