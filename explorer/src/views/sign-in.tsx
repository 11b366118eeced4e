import { useState, type FormEvent } from 'react';
import { gql } from '../api';
import { saveSession, type Session } from '../session';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { data, errors } = await gql<{ viewer: { role: string; consultant: { id: string; name: string } | null } }>(
        '{ viewer { role consultant { id name } } }',
        {},
        key.trim(),
      );
      if (!data?.viewer) throw new Error(errors[0]?.message ?? 'the key was not accepted');
      const s = { apiKey: key.trim(), role: data.viewer.role, consultant: data.viewer.consultant };
      saveSession(s);
      onSignedIn(s);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="sign-in">
      <h1>MatchHub explorer</h1>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <p className="hint">The key stays in this browser tab (session storage) and is sent only to this server.</p>
      </form>
    </main>
  );
}
