import { describe, expect, it } from 'vitest';
import { ClientAddresses, trustedProxyProblem } from './client-address.js';

describe('the client address behind trusted proxies', () => {
  const addresses = new ClientAddresses(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);

  it('is the peer when no proxy is trusted, whatever the header says', () => {
    const none = new ClientAddresses([]);
    expect(none.of('10.0.0.1', '203.0.113.9')).toBe('10.0.0.1');
    expect(none.isTrusted('10.0.0.1')).toBe(false);
  });

  it('is the peer when the peer is not a trusted proxy: a client cannot name itself', () => {
    expect(addresses.of('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
  });

  it('is the first address from the right that is not a trusted proxy', () => {
    expect(addresses.of('10.0.3.4', '203.0.113.9')).toBe('203.0.113.9');
    // Two proxies of ours (10.0.1.1 appended by the outer one), and a value the client made up on the left.
    expect(addresses.of('10.0.3.4', '1.2.3.4, 203.0.113.9, 10.0.1.1')).toBe('203.0.113.9');
    expect(addresses.of('192.168.1.10', '203.0.113.9,192.168.1.10')).toBe('203.0.113.9');
  });

  it('reads IPv6, IPv4-mapped peers and hops with ports', () => {
    expect(addresses.of('::ffff:10.0.0.5', '203.0.113.9')).toBe('203.0.113.9');
    expect(addresses.of('fd00::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(addresses.of('10.0.0.5', '203.0.113.9:51234')).toBe('203.0.113.9');
    expect(addresses.of('10.0.0.5', '[2001:db8::7]:443')).toBe('2001:db8::7');
    expect(addresses.of('10.0.0.5', '::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('stops at a hop that is not an address, keeping the last good one', () => {
    expect(addresses.of('10.0.0.5', 'unknown')).toBe('10.0.0.5');
    expect(addresses.of('10.0.0.5', '203.0.113.9, garbage, 10.0.0.9')).toBe('10.0.0.9');
  });

  it('is the leftmost address when every hop is a trusted proxy, and the peer without a header', () => {
    expect(addresses.of('10.0.0.5', '10.0.0.7, 10.0.0.6')).toBe('10.0.0.7');
    expect(addresses.of('10.0.0.5', undefined)).toBe('10.0.0.5');
    expect(addresses.of('10.0.0.5', '')).toBe('10.0.0.5');
  });

  it('says what is wrong with an entry that is not an address or a subnet', () => {
    for (const good of ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', '0.0.0.0/0']) {
      expect(trustedProxyProblem(good)).toBeUndefined();
    }
    for (const bad of [
      '10.0.0.0/33',
      'fd00::/129',
      'localhost',
      '10.0.0.0/8/1',
      '10.0.0/8',
      '10.0.0.0/x',
      '',
    ]) {
      expect(trustedProxyProblem(bad)).toMatch(
        /is not an IP address or a CIDR subnet; write e\.g\. "10\.0\.0\.0\/8"/,
      );
    }
  });
});
