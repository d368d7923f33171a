// The access token lives in sessionStorage: it survives a reload of this tab
// and is gone when the tab closes; it is never a cookie.
const TOKEN_KEY = 'tau-po.access-token';

export function readSessionToken(): string | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token === null || token === '' ? undefined : token;
}

export function saveSessionToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearSessionToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
