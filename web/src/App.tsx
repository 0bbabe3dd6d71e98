import { ApolloProvider } from '@apollo/client';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { createHashRouter, Route, RouterProvider } from 'react-router-dom';
import { authProvider } from './authProvider/authProvider';
import { BudgetsPage } from './dashboards/budgets/BudgetsPage';
import { ChargebackPage } from './dashboards/chargeback/ChargebackPage';
import { CompliancePage } from './dashboards/compliance/CompliancePage';
import { ExportsPage } from './dashboards/compliance/ExportsPage';
import { EvaluationsPage } from './dashboards/evaluations/EvaluationsPage';
import { FleetPage } from './dashboards/fleet/FleetPage';
import { GpuDetailPage } from './dashboards/fleet/GpuDetailPage';
import { RoutingPage } from './dashboards/nodes/RoutingPage';
import { OnPremCostPage } from './dashboards/onPremCost/OnPremCostPage';
import { HomeDashboard } from './dashboards/HomeDashboard';
import { apolloClient } from './dataProvider/apolloClient';
import { createDataProvider } from './dataProvider/dataProvider';
import { LoginPage } from './layout/LoginPage';
import { WardenLayout } from './layout/WardenLayout';
import { alertChannels } from './resources/alertChannels';
import { alertRules } from './resources/alertRules';
import { alerts } from './resources/alerts';
import { apiKeys } from './resources/apiKeys';
import { auditEntries } from './resources/auditEntries';
import { nodes } from './resources/nodes';
import { policies } from './resources/policies';
import { prices } from './resources/prices';
import { requests } from './resources/requests';
import { scoreDefinitions } from './resources/scoreDefinitions';
import { teams } from './resources/teams';
import { users } from './resources/users';

const dataProvider = createDataProvider(apolloClient);

/**
 * The console under its own hash router, with navigations as plain state updates. react-admin's default router wraps
 * them in React transitions, and react-admin's logout navigates to the sign-in page and then clears its query cache:
 * the cleared sign-in check re-renders the routes at once, interrupting the transition, which logs out and navigates
 * again. A visit while signed out spun that way for about 13 s of CPU before the sign-in form showed, an ended session
 * for about 1 s (measured in Chromium; react-admin 5.15, react-router 7.18); now both take a fraction of a second.
 */
const router = createHashRouter([{ path: '*', element: <WardenAdmin /> }]);

export function App() {
  return <RouterProvider router={router} useTransitions={false} />;
}

function WardenAdmin() {
  return (
    <ApolloProvider client={apolloClient}>
      <Admin
        title="Warden"
        dataProvider={dataProvider}
        authProvider={authProvider}
        loginPage={LoginPage}
        dashboard={HomeDashboard}
        layout={WardenLayout}
        requireAuth
        disableTelemetry
      >
        <Resource name="requests" {...requests} />
        <Resource name="prices" {...prices} />
        <Resource name="nodes" {...nodes} />
        <Resource name="policies" {...policies} />
        <Resource name="scoreDefinitions" {...scoreDefinitions} />
        <Resource name="alerts" {...alerts} />
        <Resource name="alertRules" {...alertRules} />
        <Resource name="alertChannels" {...alertChannels} />
        <Resource name="teams" {...teams} />
        <Resource name="users" {...users} />
        <Resource name="apiKeys" {...apiKeys} />
        <Resource name="auditEntries" {...auditEntries} />
        <CustomRoutes>
          <Route path="/fleet" element={<FleetPage />} />
          <Route path="/fleet/:node/:gpuUuid" element={<GpuDetailPage />} />
          <Route path="/on-prem-cost" element={<OnPremCostPage />} />
          <Route path="/evaluations" element={<EvaluationsPage />} />
          <Route path="/routing" element={<RoutingPage />} />
          <Route path="/budgets" element={<BudgetsPage />} />
          <Route path="/chargeback" element={<ChargebackPage />} />
          <Route path="/compliance" element={<CompliancePage />} />
          <Route path="/exports" element={<ExportsPage />} />
        </CustomRoutes>
      </Admin>
    </ApolloProvider>
  );
}
