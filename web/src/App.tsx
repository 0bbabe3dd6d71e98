import { ApolloProvider } from '@apollo/client';
import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider/authProvider';
import { SpendDashboard } from './dashboards/SpendDashboard';
import { apolloClient } from './dataProvider/apolloClient';
import { createDataProvider } from './dataProvider/dataProvider';
import { LoginPage } from './layout/LoginPage';
import { WardenLayout } from './layout/WardenLayout';
import { prices } from './resources/prices';
import { requests } from './resources/requests';

const dataProvider = createDataProvider(apolloClient);

export function App() {
  return (
    <ApolloProvider client={apolloClient}>
      <Admin
        title="Warden"
        dataProvider={dataProvider}
        authProvider={authProvider}
        loginPage={LoginPage}
        dashboard={SpendDashboard}
        layout={WardenLayout}
        requireAuth
        disableTelemetry
      >
        <Resource name="requests" {...requests} />
        <Resource name="prices" {...prices} />
      </Admin>
    </ApolloProvider>
  );
}
