import { useState } from 'preact/hooks';

export interface SignInFormProps {
  /** Why the user is here again (a refused or expired token), shown above the form. */
  reason: string;
  onSignIn(token: string): void;
}

/** The access-token form. */
export function SignInForm({ reason, onSignIn }: SignInFormProps) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <h1>tau-po dashboard</h1>
      {reason !== '' && (
        <p class="notice notice-error" role="alert">
          <strong>Signed out:</strong> {reason}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = token.trim();
          if (trimmed !== '') onSignIn(trimmed);
        }}
      >
        <label for="access-token">Access token</label>
        <input
          id="access-token"
          name="access-token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={token}
          onInput={(event) => setToken((event.currentTarget as HTMLInputElement).value)}
        />
        <p class="hint" id="access-token-hint">
          Create one on the server with <code>tau-po token create --principal &lt;you&gt;</code>. It is kept in this tab only.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
