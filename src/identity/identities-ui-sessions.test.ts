/**
 * How a dashboard session is checked against the store, and what holds while
 * the store does not answer: the last answer read on this replica.
 */

import { describe, expect, it } from 'vitest';
import type { IdentityStore, UiSessionRecord } from '../store/identity-types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { Identities } from './identities.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');

/** A store with only dashboard sessions, that can be made to fail like an unreachable Postgres. */
function fakeStore() {
  const sessions = new Map<string, UiSessionRecord>();
  const state = { down: false, reads: 0 };
  const store = {
    async findUiSession(id: string) {
      state.reads += 1;
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return sessions.get(id);
    },
  } as unknown as IdentityStore;
  return { store, sessions, state };
}

const open: UiSessionRecord = {
  id: 'uis_1',
  subject: 'admin',
  via: 'admin-key',
  createdAt: NOW,
  expiresAt: NOW + 60_000,
};

describe('a dashboard session check', () => {
  it('reads the store once, and again after identities change', async () => {
    const { store, sessions, state } = fakeStore();
    sessions.set(open.id, open);
    const identities = new Identities(store, { clock: () => NOW });
    expect(await identities.uiSession(open.id)).toEqual(open);
    expect(await identities.uiSession(open.id)).toEqual(open);
    expect(state.reads).toBe(1);
    sessions.set(open.id, { ...open, endedAt: NOW + 1 });
    identities.invalidate();
    expect((await identities.uiSession(open.id))?.endedAt).toBe(NOW + 1);
  });

  it('keeps the last answer read here while the store is away, and says 503 for a session it never read', async () => {
    const { store, sessions, state } = fakeStore();
    sessions.set(open.id, open);
    sessions.set('uis_ended', { ...open, id: 'uis_ended', endedAt: NOW });
    const identities = new Identities(store, { clock: () => NOW });
    await identities.uiSession(open.id);
    await identities.uiSession('uis_ended');
    state.down = true;
    identities.invalidate();
    expect(await identities.uiSession(open.id)).toEqual(open);
    expect((await identities.uiSession('uis_ended'))?.endedAt).toBe(NOW);
    const unknown = await identities.uiSession('uis_never_seen').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(GatewayError);
    expect(unknown).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
    expect((unknown as Error).message).not.toContain('ECONNREFUSED');
  });
});
