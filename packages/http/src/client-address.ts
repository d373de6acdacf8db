import type { Context } from 'hono';

function normalise(address: string): string {
  const a = address.trim();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/**
 * The address of the client that sent a request: the socket's peer, unless that peer is one of the
 * trusted reverse proxies, in which case X-Forwarded-For is read from the right and the first hop
 * that is not a trusted proxy is the client (a client cannot forge its way past a proxy that appends).
 * Without a socket (in-process test requests) the peer is `unknown`.
 */
// biome-ignore lint/suspicious/noExplicitAny: works with any app's context
export function clientAddress(c: Context<any>, trustedProxies: readonly string[]): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = normalise(env?.incoming?.socket?.remoteAddress ?? 'unknown');
  if (!trustedProxies.includes(peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map(normalise)
    .filter((h) => h.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.includes(hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? peer;
}
