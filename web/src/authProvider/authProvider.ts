import type { AuthProvider } from 'react-admin';
import { isAuthenticationError } from './authenticationErrors';
import { clearSession, readToken, readUser, saveSession, type SessionUser } from './session';

interface LoginParameters {
  email?: string;
  username?: string;
  password?: string;
}

interface LoginAnswer {
  token?: string;
  user?: SessionUser;
  error?: { code?: string; message?: string };
}

async function requestSession({ email, username, password }: LoginParameters): Promise<LoginAnswer> {
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email: email ?? username, password }),
  });
  const answer = (await response.json().catch(() => ({}))) as LoginAnswer;
  if (!response.ok) {
    throw new Error(answer.error?.message ?? `Sign-in failed (HTTP ${response.status})`);
  }
  return answer;
}

export const authProvider: AuthProvider = {
  async login(parameters: LoginParameters) {
    const { token, user } = await requestSession(parameters);
    if (!token || !user) throw new Error('Sign-in answer lacks a token or a user');
    saveSession(token, user);
  },
  async logout() {
    // Forget the token here first, then end the session on the server so the token is refused everywhere.
    const token = readToken();
    clearSession();
    if (token) {
      await fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
    }
  },
  async checkAuth() {
    if (!readToken()) throw new Error('Not signed in');
  },
  async checkError(error: unknown) {
    if (isAuthenticationError(error)) {
      clearSession();
      throw new Error('Your session has ended, please sign in again');
    }
  },
  async getIdentity() {
    const user = readUser();
    if (!user) throw new Error('Not signed in');
    return { id: user.id, fullName: user.email };
  },
  async getPermissions() {
    return readUser()?.role ?? 'viewer';
  },
};
