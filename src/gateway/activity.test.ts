/**
 * The activity row builder: who a request is charged to (credential, user,
 * group) and where it came from (session, agent ids) end up in its row.
 */

import { describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import type { RequestRecord, Store } from '../store/types.js';
import { ActivityEntry } from './activity.js';
import type { Caller } from './callers.js';

/** A store that keeps the rows it is given, and nothing else. */
function recordingStore(): { store: Store; rows: RequestRecord[] } {
  const rows: RequestRecord[] = [];
  const store = {
    recordRequest: async (record: RequestRecord) => {
      rows.push(record);
    },
    recordAttempts: async () => {},
  } as unknown as Store;
  return { store, rows };
}

const key = {
  id: 'key_1',
  name: 'ci',
  prefix: 'cgw_abcd',
  hash: 'x',
  createdAt: 0,
};

function finishedRow(caller: Caller): RequestRecord | undefined {
  const { store, rows } = recordingStore();
  const entry = new ActivityEntry(store, 'none', {
    id: 'req_1',
    dialect: 'anthropic',
    operation: 'messages',
  });
  entry.caller(caller);
  entry.request({
    requested: resolveModel('claude-sonnet-4-5'),
    stream: false,
    operation: 'messages',
    session: 'session-1',
    agentId: 'agent-b',
    parentAgentId: 'agent-a',
  });
  entry.finish(200);
  return rows[0];
}

describe('ActivityEntry attribution', () => {
  it('carries the credential, user, group, session and agent ids', () => {
    const row = finishedRow({
      key,
      user: { id: 'u-ada', name: 'Ada Lovelace', email: 'ada@example.com' },
      group: 'research',
    });
    expect(row).toMatchObject({
      keyId: 'key_1',
      keyName: 'ci',
      userId: 'u-ada',
      userName: 'Ada Lovelace',
      userEmail: 'ada@example.com',
      group: 'research',
      sessionId: 'session-1',
      agentId: 'agent-b',
      parentAgentId: 'agent-a',
    });
  });

  it('leaves out what is not known (a keyless caller, a user without an e-mail)', () => {
    expect(finishedRow({})).not.toHaveProperty('keyId');
    const row = finishedRow({ user: { id: 'svc-ci', name: 'CI' } });
    expect(row).toMatchObject({ userId: 'svc-ci', userName: 'CI' });
    expect(row).not.toHaveProperty('userEmail');
    expect(row).not.toHaveProperty('group');
  });
});
