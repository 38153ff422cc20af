import { BlockList, isIP } from 'node:net';

/**
 * Who a request came from when the gateway sits behind proxies it trusts
 * (`server.trustedProxies`: a load balancer, an ingress). The connection's
 * peer is the client unless it is a trusted proxy; then `X-Forwarded-For` is
 * read from the right (each proxy appends the address it saw), trusted
 * addresses are stepped over, and the first one that is not trusted is the
 * client. Entries left of it are the client's own claims and never read, so
 * a client cannot pick its address by sending the header itself. With no
 * trusted proxies the header is never read.
 *
 * Node's `net.BlockList` does the matching (addresses and CIDR subnets, IPv4
 * and IPv6); IPv4-mapped IPv6 peers (`::ffff:10.0.0.1`, what a dual-stack
 * socket reports) are compared as IPv4.
 *
 * @example
 * const addresses = new ClientAddresses(['10.0.0.0/8']);
 * addresses.of('10.0.3.4', '203.0.113.9, 10.0.1.1'); // '203.0.113.9'
 * addresses.of('198.51.100.7', '203.0.113.9');       // '198.51.100.7' (not a trusted peer)
 */
export class ClientAddresses {
  readonly #trusted = new BlockList();
  readonly #any: boolean;

  /** `entries` must have passed {@link trustedProxyProblem}. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const { address, prefix, family } = parseEntry(entry) as ParsedEntry;
      if (prefix === undefined) this.#trusted.addAddress(address, family);
      else this.#trusted.addSubnet(address, prefix, family);
    }
    this.#any = entries.length > 0;
  }

  /** Whether any proxy is trusted (else the peer is always the client). */
  get active(): boolean {
    return this.#any;
  }

  /** The client's address, from the connection's peer and the request's `X-Forwarded-For`. */
  of(peer: string | undefined, forwardedFor: string | undefined): string | undefined {
    if (!this.#any || peer === undefined || !forwardedFor || !this.isTrusted(peer)) return peer;
    const hops = forwardedFor.split(',');
    let client = unmapped(peer);
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = unmapped(withoutPort((hops[index] as string).trim()));
      // A hop that is not an address (garbage, `unknown`) ends the trusted chain: the last good one counts.
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!this.isTrusted(hop)) return hop;
    }
    return client;
  }

  isTrusted(address: string): boolean {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.#trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

interface ParsedEntry {
  address: string;
  prefix?: number;
  family: 'ipv4' | 'ipv6';
}

function parseEntry(entry: string): ParsedEntry | undefined {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return undefined;
  const kind = family === 6 ? 'ipv6' : 'ipv4';
  if (prefixText === undefined) return { address, family: kind };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > (family === 6 ? 128 : 32)) return undefined;
  return { address, prefix, family: kind };
}

/** What is wrong with a `server.trustedProxies` entry, or undefined when it is an address or a CIDR subnet. */
export function trustedProxyProblem(entry: string): string | undefined {
  if (parseEntry(entry)) return undefined;
  return `${JSON.stringify(entry)} is not an IP address or a CIDR subnet; write e.g. "10.0.0.0/8", "192.168.1.10" or "fd00::/8"`;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** `203.0.113.9:5123` → `203.0.113.9`, `[2001:db8::1]:443` → `2001:db8::1` (some proxies add the port). */
function withoutPort(hop: string): string {
  if (hop.startsWith('[')) {
    const end = hop.indexOf(']');
    return end > 0 ? hop.slice(1, end) : hop;
  }
  const colon = hop.indexOf(':');
  return colon > 0 && hop.indexOf(':', colon + 1) === -1 ? hop.slice(0, colon) : hop;
}
