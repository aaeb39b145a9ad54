import { lazy, type ReactNode } from 'react';
import { Navigate, useLocation, type Location } from 'react-router';
import { Spin } from 'antd';
import { useMe } from '../api/hooks.ts';
import { errorMessage } from '../api/client.ts';
import { SignedInProvider, useCan, useSessionControl, type SignOutReason } from './session.tsx';

const ErrorPage = lazy(() => import('../pages/ErrorPage.tsx'));

/** What the login page is told when it is shown instead of a console page. */
export interface LoginState {
  from?: Location;
  reason?: SignOutReason | null;
}

export function FullPageSpin() {
  return (
    <div className="full-page-center">
      <Spin size="large" />
    </div>
  );
}

/** Renders its children for a signed-in user; otherwise sends them to /login and back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const { reason } = useSessionControl();
  const location = useLocation();

  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorPage status="error" detail={errorMessage(me.error)} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const state: LoginState = { reason, ...(reason === 'logout' ? {} : { from: location }) };
    return <Navigate to="/login" replace state={state} />;
  }
  return <SignedInProvider me={me.data}>{children}</SignedInProvider>;
}

/** Shows a 403 page instead of its children unless the user holds the permission somewhere. */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? children : <ErrorPage status="403" />;
}
