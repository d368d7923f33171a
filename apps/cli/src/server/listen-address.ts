// `--listen host:port`: parsing and the loopback rule (pure).
import net from 'node:net';
import { UsageError } from '@tau/recovery';

/** Where `tau-po serve` listens unless told otherwise. */
export const DEFAULT_LISTEN = '127.0.0.1:7433';

/** A parsed `--listen` value. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `host:port`, `[v6]:port` (port 0..65535; 0 picks a free one). @throws UsageError */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/.exec(text);
  const port = match === null ? Number.NaN : Number(match[3]);
  if (match === null || port > 65_535) {
    throw new UsageError(`invalid --listen '${text}' (expected host:port, e.g. ${DEFAULT_LISTEN}, or [::1]:7433)`);
  }
  const host = match[1] ?? match[2]!;
  if (match[1] !== undefined && net.isIPv6(host) === false) throw new UsageError(`invalid --listen '${text}': '${host}' is not an IPv6 address`);
  return { host, port };
}

/** True for addresses only this host can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

/** The URL of a bound address. */
export function listenUrl(protocol: 'http' | 'https', host: string, port: number): string {
  return `${protocol}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
