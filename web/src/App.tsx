import { ApolloProvider } from '@apollo/client';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
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

export function App() {
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
