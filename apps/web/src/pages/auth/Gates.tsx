import type { ReactNode } from 'react';
import { Flex, Spin } from 'antd';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth, useSetupStatus, wasSessionExpired } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

function FullPageError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh', padding: 24 }}>
      <div style={{ maxWidth: 560, width: '100%' }}>
        <ErrorAlert error={error} onRetry={retry} />
      </div>
    </Flex>
  );
}

/** First run goes to /setup until an administrator exists; afterwards /setup is closed. */
export function SetupGate({ children }: { children?: ReactNode }) {
  const setup = useSetupStatus();
  const location = useLocation();
  if (setup.isPending) return <FullPageSpin />;
  if (setup.isError) return <FullPageError error={setup.error} retry={() => void setup.refetch()} />;
  const onSetup = location.pathname === '/setup';
  if (setup.data.needsSetup && !onSetup) return <Navigate to="/setup" replace />;
  if (!setup.data.needsSetup && onSetup) return <Navigate to="/login" replace />;
  return children ?? <Outlet />;
}

/** Signed-in pages: without a session the user goes to sign in and comes back here afterwards. */
export function RequireAuth() {
  const { me, loading, error } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (error && !me) return <FullPageError error={error} retry={() => window.location.reload()} />;
  if (!me) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}${wasSessionExpired() ? '&expired=1' : ''}`} replace />;
  }
  return <Outlet />;
}
