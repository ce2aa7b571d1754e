import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { UserView } from '../../../shared/domain/user';
import { errorMessage } from '../api/client';
import { sessionStatus } from './early-session';

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
  const [user, setUser] = useState<UserView | null>(null);
  const [needsSetup, setNeedsSetup] = useState(false);
  const [ready, setReady] = useState(false);
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
    void refresh();
  }, [refresh]);
  return <SessionContext.Provider value={{ user, needsSetup, ready, error, refresh, setUser }}>{children}</SessionContext.Provider>;
}
