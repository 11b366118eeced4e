// The API key lives in this tab's sessionStorage only: closing the tab signs out, and nothing is
// written to localStorage or a cookie. GraphiQL (same origin) reads it to prefill its header.
const KEY = 'matchhub.apiKey';
const ROLE = 'matchhub.role';

export interface Session {
  apiKey: string;
  role: string;
}

export function currentSession(): Session | null {
  const apiKey = sessionStorage.getItem(KEY);
  return apiKey ? { apiKey, role: sessionStorage.getItem(ROLE) ?? '' } : null;
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, s.apiKey);
  sessionStorage.setItem(ROLE, s.role);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ROLE);
}
