// The control server's URL as the client will use it (pure). The token
// travels in every request, so plain HTTP is allowed only to loopback unless
// the operator says otherwise, and nothing in the URL may carry credentials
// or change where the API paths go.
import { UsageError } from '@tau/recovery';
import { escapeTerminalText } from '@tau/schemas';

/** True for hosts that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The base URL (`https://host:port/prefix/`, always ending in `/`) for the
 * text given to `--server`.
 *
 * @throws UsageError for anything but an http(s) URL without credentials,
 *   query or fragment; for `http:` beyond loopback without `insecureHttp`.
 */
export function parseServerUrl(text: string, insecureHttp: boolean): URL {
  const shown = escapeTerminalText(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server '${shown}' is not a URL (expected https://host:port)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--server '${shown}': only http and https URLs are supported`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`--server '${shown}': credentials in the URL are not allowed (use --token-file)`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError(`--server '${shown}': a query or fragment is not allowed`);
  }
  if (url.protocol === 'http:' && !insecureHttp && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `--server '${shown}': refusing to send the token over plain HTTP to a host that is not loopback (use https://, or --insecure-http)`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
