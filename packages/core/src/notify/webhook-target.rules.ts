import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may be sent (SSRF): `public` — public addresses only (the default);
 * `private` — also private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), for a
 * receiver inside a government network (政务外网); `any` — also loopback and link-local, for
 * development and tests. Link-local covers the cloud metadata address 169.254.169.254.
 */
export const WEBHOOK_TARGETS = ['public', 'private', 'any'] as const;
export type WebhookTargets = (typeof WEBHOOK_TARGETS)[number];

const v4 = (list: BlockList, net: string, prefix: number) => list.addSubnet(net, prefix, 'ipv4');
const v6 = (list: BlockList, net: string, prefix: number) => list.addSubnet(net, prefix, 'ipv6');

/** Never a receiver, whatever the setting: "this network", multicast, reserved, broadcast. */
const never = new BlockList();
v4(never, '0.0.0.0', 8); v4(never, '224.0.0.0', 4); v4(never, '240.0.0.0', 4);
v6(never, '::', 128); v6(never, 'ff00::', 8);

const privateNets = new BlockList();
v4(privateNets, '10.0.0.0', 8); v4(privateNets, '172.16.0.0', 12); v4(privateNets, '192.168.0.0', 16); v4(privateNets, '100.64.0.0', 10);
v4(privateNets, '198.18.0.0', 15); v6(privateNets, 'fc00::', 7); v6(privateNets, 'fec0::', 10);

const localNets = new BlockList();
v4(localNets, '127.0.0.0', 8); v4(localNets, '169.254.0.0', 16); v6(localNets, '::1', 128); v6(localNets, 'fe80::', 10);
// IPv6 forms that carry an IPv4 address a gateway may translate to (NAT64, 6to4, IPv4-translated): which one it is cannot be told here.
v6(localNets, '64:ff9b::', 96); v6(localNets, '64:ff9b:1::', 48); v6(localNets, '2002::', 16); v6(localNets, '::ffff:0:0:0', 96);

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function unmap(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** Whether an IP address may receive webhooks under `targets`. Not an IP address: false. */
export function targetAllowed(ip: string, targets: WebhookTargets): boolean {
  const a = unmap(ip);
  const family = isIP(a);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (never.check(a, type)) return false;
  if (targets === 'any') return true;
  if (localNets.check(a, type)) return false;
  return targets === 'private' || !privateNets.check(a, type);
}

/**
 * The check of a webhook URL that needs no DNS: an IP literal or a localhost name must be allowed.
 * Names are checked again, with every address they resolve to, when a delivery connects.
 */
export function urlTargetAllowed(url: string, targets: WebhookTargets): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(unmap(host))) return targetAllowed(host, targets);
  if (host === 'localhost' || host.endsWith('.localhost')) return targets === 'any';
  return true;
}
