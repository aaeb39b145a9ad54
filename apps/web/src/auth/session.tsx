import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '@wangge/contracts';
import { onApiError } from '../api/client.ts';
import { keys, LOGIN_PATH } from '../api/hooks.ts';

/** Why the console went back to the login page; shown there. */
export type SignOutReason = 'expired' | 'idle' | 'logout';

interface SessionControl {
  reason: SignOutReason | null;
  /** Forgets the signed-in user and every cached answer; RequireAuth then sends the user to /login. */
  endSession: (reason: SignOutReason) => void;
  clearReason: () => void;
}

const ControlContext = createContext<SessionControl | null>(null);
const MeContext = createContext<Me | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState<SignOutReason | null>(null);

  const endSession = useCallback(
    (why: SignOutReason) => {
      setReason(why);
      qc.setQueryData(keys.me, null);
      qc.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.me[0] && query.queryKey[0] !== keys.meta[0] });
    },
    [qc],
  );

  useEffect(
    () =>
      onApiError((error, path) => {
        if (error.status === 401 && path !== LOGIN_PATH) {
          if (qc.getQueryData(keys.me)) endSession('expired');
          else if (error.code === 'auth.session_expired') setReason((current) => current ?? 'expired');
        } else if (error.code === 'auth.password_change_required') {
          void qc.invalidateQueries({ queryKey: keys.me });
        }
      }),
    [qc, endSession],
  );

  const value = useMemo(() => ({ reason, endSession, clearReason: () => setReason(null) }), [reason, endSession]);
  return <ControlContext.Provider value={value}>{children}</ControlContext.Provider>;
}

export function useSessionControl(): SessionControl {
  const control = useContext(ControlContext);
  if (!control) throw new Error('useSessionControl needs a SessionProvider');
  return control;
}

export function SignedInProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

/** The signed-in user; only below RequireAuth. */
export function useSession(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useSession needs RequireAuth');
  return me;
}

/** Whether the signed-in user holds a permission on at least one area (the server decides per area). */
export function useCan(): (permission: string) => boolean {
  const me = useSession();
  return useCallback((permission: string) => me.permissions.includes(permission), [me]);
}
