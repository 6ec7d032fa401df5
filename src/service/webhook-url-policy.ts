import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';

type Policy = Pick<Config['webhooks'], 'allowedHosts' | 'allowPrivateNetworks'>;

/**
 * Only global unicast addresses are public; loopback, private (RFC 1918), link-local (cloud metadata
 * at 169.254.169.254), unique-local, carrier-grade NAT, reserved, multicast and unspecified are not.
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function isPublicAddress(ip: string): boolean {
  try {
    return ipaddr.process(ip).range() === 'unicast';
  } catch {
    return false;
  }
}

function hostAllowed(host: string, allowed: string[]): boolean {
  if (allowed.length === 0) return true;
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase().replace(/\.$/, '');
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
  });
}

/**
 * Checks a subscription URL: http(s), no credentials in it (the secret signs deliveries; a password
 * in a URL ends up in logs), the host on `webhooks.allowedHosts` when that list is set, and an IP
 * literal public unless `webhooks.allowPrivateNetworks`. Host names are checked again, resolved, at
 * every delivery (`guardedLookup`), so DNS cannot point an accepted name at an internal address later.
 */
export function checkWebhookUrl(raw: string, policy: Policy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LedgerlensError('INVALID_INPUT', 'url: not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LedgerlensError('INVALID_INPUT', 'url: only http and https URLs are allowed');
  if (url.username || url.password) throw new LedgerlensError('INVALID_INPUT', 'url: credentials in the URL are refused (deliveries are signed with the secret)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!hostAllowed(host, policy.allowedHosts)) throw new LedgerlensError('INVALID_INPUT', `url: host ${host} is not in webhooks.allowedHosts`);
  if (isIP(host) && !policy.allowPrivateNetworks && !isPublicAddress(host)) {
    throw new LedgerlensError('INVALID_INPUT', `url: ${host} is not a public address (set webhooks.allowPrivateNetworks to allow internal receivers)`);
  }
  if (!isIP(host) && !policy.allowPrivateNetworks && /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) {
    throw new LedgerlensError('INVALID_INPUT', `url: ${host} is an internal host name (set webhooks.allowPrivateNetworks to allow internal receivers)`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the host and refuses non-public addresses (unless
 * allowed): the connection goes to an address that was checked, not to whatever DNS says later.
 */
export function guardedLookup(policy: Policy) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: typeof options.family === 'number' ? options.family : 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const usable = policy.allowPrivateNetworks ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to no public address`), { code: 'EADDRREFUSEDBYPOLICY' });
        return callback(refused, []);
      }
      if (options.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/** An IP literal in a URL never goes through lookup: checked here before connecting. */
export function checkLiteralTarget(url: URL, policy: Policy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allowPrivateNetworks && !isPublicAddress(host)) {
    throw new LedgerlensError('WEBHOOK_FAILED', `${host} is not a public address`);
  }
}
