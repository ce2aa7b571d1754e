import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { UserView } from '../../../shared/people/user';
import { errorMessage } from '../api/client';
import { answeredSessionStatus, forgetEarlySession, sessionStatus } from './early-session';

interface SessionState {
  user: UserView | null;
  needsSetup: boolean;
  ready: boolean;
  error: string | null;
  refresh(): Promise<void>;
  setUser(user: UserView | null): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useUser(): UserView {
  const { user } = useSession();
  if (!user) throw new Error('useUser before login');
  return user;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  // Usually in by now (asked as the page started): then the first render already shows the right screen.
  const [initial] = useState(answeredSessionStatus);
  const [user, setUser] = useState<UserView | null>(initial?.user ?? null);
  const [needsSetup, setNeedsSetup] = useState(initial?.needsSetup ?? false);
  const [ready, setReady] = useState(initial !== undefined);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      const status = await sessionStatus();
      setUser(status.user);
      setNeedsSetup(status.needsSetup);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setReady(true);
    }
  }, []);
  useEffect(() => {
    if (initial) forgetEarlySession();
    else void refresh();
  }, [initial, refresh]);
  return <SessionContext.Provider value={{ user, needsSetup, ready, error, refresh, setUser }}>{children}</SessionContext.Provider>;
}
