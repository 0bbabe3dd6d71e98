// The signed-in session lives in localStorage so a reload keeps the user signed in.
export type Role = 'admin' | 'finance' | 'compliance' | 'sre' | 'viewer';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

const tokenKey = 'warden.token';
const userKey = 'warden.user';

export function readToken(): string | null {
  return localStorage.getItem(tokenKey);
}

export function readUser(): SessionUser | null {
  const stored = localStorage.getItem(userKey);
  if (!stored) return null;
  try {
    return JSON.parse(stored) as SessionUser;
  } catch {
    return null;
  }
}

export function saveSession(token: string, user: SessionUser): void {
  localStorage.setItem(tokenKey, token);
  localStorage.setItem(userKey, JSON.stringify(user));
}

export function clearSession(): void {
  localStorage.removeItem(tokenKey);
  localStorage.removeItem(userKey);
}
