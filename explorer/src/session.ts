// The API key lives in this tab's sessionStorage only: closing the tab signs out, and nothing is
// written to localStorage or a cookie. GraphiQL (same origin) reads it to prefill its header.
const KEY = 'matchhub.apiKey';
const ROLE = 'matchhub.role';
const CONSULTANT = 'matchhub.consultant';

export interface Session {
  apiKey: string;
  role: string;
  /** The consultant the key speaks for (Viewer.consultant), null when it speaks for none. */
  consultant: { id: string; name: string } | null;
}

export function currentSession(): Session | null {
  const apiKey = sessionStorage.getItem(KEY);
  if (!apiKey) return null;
  let consultant: Session['consultant'] = null;
  try {
    consultant = JSON.parse(sessionStorage.getItem(CONSULTANT) ?? 'null');
  } catch {
    // A value this page did not write: as if the key had no consultant.
  }
  return { apiKey, role: sessionStorage.getItem(ROLE) ?? '', consultant };
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, s.apiKey);
  sessionStorage.setItem(ROLE, s.role);
  if (s.consultant) sessionStorage.setItem(CONSULTANT, JSON.stringify(s.consultant));
  else sessionStorage.removeItem(CONSULTANT);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ROLE);
  sessionStorage.removeItem(CONSULTANT);
}
