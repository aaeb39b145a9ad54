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
const CasesPage = lazy(() => import('./pages/CasesPage.tsx'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage.tsx'));
const IntakePage = lazy(() => import('./pages/IntakePage.tsx'));
const SupervisionPage = lazy(() => import('./pages/SupervisionPage.tsx'));
const CaseConfigPage = lazy(() => import('./pages/CaseConfigPage.tsx'));
const TrackPage = lazy(() => import('./pages/TrackPage.tsx'));
const RegistryPage = lazy(() => import('./pages/RegistryPage.tsx'));
const RegistrySearchPage = lazy(() => import('./pages/RegistrySearchPage.tsx'));
const RegistrySummaryPage = lazy(() => import('./pages/RegistrySummaryPage.tsx'));
const RegistryImportsPage = lazy(() => import('./pages/RegistryImportsPage.tsx'));
const RegistryVisitsPage = lazy(() => import('./pages/RegistryVisitsPage.tsx'));
const RegistrySettingsPage = lazy(() => import('./pages/RegistrySettingsPage.tsx'));

export default function App() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/track" element={<TrackPage />} />
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
          <Route path="cases" element={<CasesPage />} />
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route
            path="intake"
            element={
              <RequirePermission permission="case.report">
                <IntakePage />
              </RequirePermission>
            }
          />
          <Route
            path="supervision"
            element={
              <RequirePermission permission="case.supervise">
                <SupervisionPage />
              </RequirePermission>
            }
          />
          <Route path="case-config" element={<CaseConfigPage />} />
          <Route path="registry" element={<Navigate to="/registry/persons" replace />} />
          <Route path="registry/search" element={<RegistrySearchPage />} />
          <Route path="registry/summary" element={<RegistrySummaryPage />} />
          <Route path="registry/imports" element={<RegistryImportsPage />} />
          <Route path="registry/visits" element={<RegistryVisitsPage />} />
          <Route path="registry/settings" element={<RegistrySettingsPage />} />
          <Route path="registry/:ledger" element={<RegistryPage />} />
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
