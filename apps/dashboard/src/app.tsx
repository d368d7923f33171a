import { useCallback, useState } from 'preact/hooks';
import { ControlApiClient, ControlApiError } from './control-api-client.js';
import { SignInForm } from './sign-in-form.js';
import { SignedInPage } from './signed-in-page.js';
import { clearSessionToken, readSessionToken, saveSessionToken } from './token-session.js';

/** The whole page: the sign-in form, or the runs once a token is held. */
export function App() {
  const [client, setClient] = useState<ControlApiClient | undefined>(() => {
    const token = readSessionToken();
    return token === undefined ? undefined : new ControlApiClient(token);
  });
  const [reason, setReason] = useState('');

  const signOut = useCallback((why: string) => {
    clearSessionToken();
    setClient(undefined);
    setReason(why);
  }, []);
  // Every 401, wherever it happens, ends the session with the server's words.
  const onError = useCallback(
    (error: unknown) => {
      if (error instanceof ControlApiError && error.status === 401) signOut(error.message);
    },
    [signOut],
  );

  if (client === undefined) {
    return (
      <SignInForm
        reason={reason}
        onSignIn={(token) => {
          performance.clearMarks();
          performance.mark('tau-po:sign-in');
          saveSessionToken(token);
          setReason('');
          setClient(new ControlApiClient(token));
        }}
      />
    );
  }
  return <SignedInPage client={client} onError={onError} onSignOut={() => signOut('you signed out.')} />;
}
