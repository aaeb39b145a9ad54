import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { FullPageSpin, RequireAuth, RequirePermission } from './auth/RequireAuth.tsx';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const ConsoleLayout = lazy(() => import('./components/ConsoleLayout.tsx'));
const AreasPage = lazy(() => import('./pages/AreasPage.tsx'));
const GridMapPage = lazy(() => import('./pages/GridMapPage.tsx'));
const UsersPage = lazy(() => import('./pages/UsersPage.tsx'));
const AuditPage = lazy(() => import('./pages/AuditPage.tsx'));
const ErrorPage = lazy(() => import('./pages/ErrorPage.tsx'));

export default function App() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="/"
          element={
            <RequireAuth>
              <ConsoleLayout />
            </RequireAuth>
          }
        >
          <Route index element={<Navigate to="/areas" replace />} />
          <Route path="areas" element={<AreasPage />} />
          <Route path="map" element={<GridMapPage />} />
          <Route
            path="users"
            element={
              <RequirePermission permission="user.read">
                <UsersPage />
              </RequirePermission>
            }
          />
          <Route
            path="audit"
            element={
              <RequirePermission permission="audit.read">
                <AuditPage />
              </RequirePermission>
            }
          />
          <Route path="*" element={<ErrorPage status="404" />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
