import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, listenUrl, parseListenAddress } from './listen-address.js';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:7433', { host: '127.0.0.1', port: 7433 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['localhost:65535', { host: 'localhost', port: 65535 }],
    ['0.0.0.0:7433', { host: '0.0.0.0', port: 7433 }],
  ])('%s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  it.each(['', '7433', '127.0.0.1', '127.0.0.1:', '127.0.0.1:65536', '::1:80', '[zz]:80', 'a b:1', '127.0.0.1:80\n', 'host:-1'])(
    'refuses %j with a usage error',
    (text) => {
      expect(() => parseListenAddress(text)).toThrow(expect.objectContaining({ name: 'UsageError' }));
    },
  );

  it('any string either parses to a port in range or is a usage error', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const { port } = parseListenAddress(text);
          expect(port).toBeGreaterThanOrEqual(0);
          expect(port).toBeLessThanOrEqual(65_535);
        } catch (error) {
          expect((error as Error).name).toBe('UsageError');
        }
      }),
    );
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.9.9.9', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['127.example.com', false],
    ['localhost.example.com', false],
  ])('%s -> %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('listenUrl', () => {
  it('brackets IPv6', () => {
    expect(listenUrl('http', '::1', 80)).toBe('http://[::1]:80');
    expect(listenUrl('https', '127.0.0.1', 7433)).toBe('https://127.0.0.1:7433');
  });
});
