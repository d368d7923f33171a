import { describe, expect, it } from 'vitest';
import { UsageError } from '@tau/recovery';
import { isLoopbackHost, parseServerUrl } from './server-url.js';

describe('parseServerUrl', () => {
  it.each([
    ['https://trainer-1.internal:7433', false, 'https://trainer-1.internal:7433/'],
    ['https://proxy.internal/tau', false, 'https://proxy.internal/tau/'],
    ['http://127.0.0.1:7433', false, 'http://127.0.0.1:7433/'],
    ['http://127.1.2.3:7433/', false, 'http://127.1.2.3:7433/'],
    ['http://localhost:7433', false, 'http://localhost:7433/'],
    ['http://[::1]:7433', false, 'http://[::1]:7433/'],
    ['http://10.0.0.5:7433', true, 'http://10.0.0.5:7433/'],
  ])('%s (insecure-http %s) -> %s', (text, insecure, expected) => {
    expect(parseServerUrl(text, insecure).href).toBe(expected);
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://h/', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['https://user:pw@h/', /credentials/],
    ['https://h/?x=1', /query or fragment/],
    ['https://h/#x', /query or fragment/],
    ['http://10.0.0.5:7433', /plain HTTP/],
    ['http://127.0.0.1.evil.example/', /plain HTTP/],
    ['http://localhost.evil.example/', /plain HTTP/],
    ['http://[::2]/', /plain HTTP/],
  ])('%s is refused', (text, message) => {
    expect(() => parseServerUrl(text, false)).toThrow(UsageError);
    expect(() => parseServerUrl(text, false)).toThrow(message);
  });

  it('escapes the URL it quotes', () => {
    expect(() => parseServerUrl('x\u001b[2J', false)).toThrow("--server 'x\\u{1b}[2J' is not a URL");
  });

  it('loopback is 127/8, ::1 and localhost only', () => {
    expect(['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.9', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['128.0.0.1', '0.0.0.0', '[::]', 'localhost.', 'example.com', '127.0.0.1.nip.io'].some(isLoopbackHost)).toBe(false);
  });
});
