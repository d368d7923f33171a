import { useState } from 'preact/hooks';

export interface SignInFormProps {
  /** Why the user is here again (a refused or expired token), shown above the form. */
  reason: string;
  onSignIn(token: string): void;
}

/** The access-token form. */
export function SignInForm({ reason, onSignIn }: SignInFormProps) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState('');
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
          // A header value cannot carry anything else; say so here rather than fail inside fetch.
          if (!/^[\x21-\x7e]+$/.test(trimmed)) {
            setProblem('An access token is one word of printable ASCII characters (as tau-po token create prints it).');
            return;
          }
          setProblem('');
          onSignIn(trimmed);
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
          aria-describedby={problem === '' ? 'access-token-hint' : 'access-token-problem access-token-hint'}
          aria-invalid={problem === '' ? undefined : 'true'}
          value={token}
          onInput={(event) => setToken((event.currentTarget as HTMLInputElement).value)}
        />
        {problem !== '' && (
          <p class="notice notice-error" id="access-token-problem" role="alert">
            {problem}
          </p>
        )}
        <p class="hint" id="access-token-hint">
          Create one on the server with <code>tau-po token create --principal &lt;you&gt;</code>. It is kept in this tab only.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
