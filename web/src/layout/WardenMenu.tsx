import AlertChannelsIcon from '@mui/icons-material/Campaign';
import AlertRulesIcon from '@mui/icons-material/NotificationsActive';
import AlertsIcon from '@mui/icons-material/NotificationImportant';
import ComplianceIcon from '@mui/icons-material/VerifiedUser';
import ExportsIcon from '@mui/icons-material/FileDownload';
import AuditIcon from '@mui/icons-material/History';
import BudgetsIcon from '@mui/icons-material/Savings';
import ChargebackIcon from '@mui/icons-material/ReceiptLong';
import EvaluationsIcon from '@mui/icons-material/FactCheck';
import FleetIcon from '@mui/icons-material/Memory';
import NodesIcon from '@mui/icons-material/Dns';
import OnPremCostIcon from '@mui/icons-material/CompareArrows';
import PriceIcon from '@mui/icons-material/PriceChange';
import RequestsIcon from '@mui/icons-material/ListAlt';
import ScoreDefinitionsIcon from '@mui/icons-material/Rule';
import SpendIcon from '@mui/icons-material/Insights';
import PolicyIcon from '@mui/icons-material/Policy';
import RoutingIcon from '@mui/icons-material/AltRoute';
import ApiKeysIcon from '@mui/icons-material/Key';
import TeamsIcon from '@mui/icons-material/Groups';
import UsersIcon from '@mui/icons-material/People';
import type { ReactElement } from 'react';
import { Menu, usePermissions } from 'react-admin';
import { mayOpen, type Page } from './roleAccess';

const entries: Array<{ page: Page; to: string; text: string; icon: ReactElement }> = [
  { page: 'spend', to: '/', text: 'Spend', icon: <SpendIcon /> },
  { page: 'onPremCost', to: '/on-prem-cost', text: 'On-prem vs API', icon: <OnPremCostIcon /> },
  { page: 'budgets', to: '/budgets', text: 'Budgets', icon: <BudgetsIcon /> },
  { page: 'chargeback', to: '/chargeback', text: 'Chargeback', icon: <ChargebackIcon /> },
  { page: 'requests', to: '/requests', text: 'Requests', icon: <RequestsIcon /> },
  { page: 'evaluations', to: '/evaluations', text: 'Evaluations', icon: <EvaluationsIcon /> },
  { page: 'fleet', to: '/fleet', text: 'GPU fleet', icon: <FleetIcon /> },
  { page: 'nodes', to: '/nodes', text: 'Nodes', icon: <NodesIcon /> },
  { page: 'routing', to: '/routing', text: 'Routing', icon: <RoutingIcon /> },
  { page: 'prices', to: '/prices', text: 'Price catalog', icon: <PriceIcon /> },
  { page: 'policies', to: '/policies', text: 'Policies', icon: <PolicyIcon /> },
  { page: 'scoreDefinitions', to: '/scoreDefinitions', text: 'Score definitions', icon: <ScoreDefinitionsIcon /> },
  { page: 'compliance', to: '/compliance', text: 'Compliance', icon: <ComplianceIcon /> },
  { page: 'exports', to: '/exports', text: 'Exports', icon: <ExportsIcon /> },
  { page: 'alerts', to: '/alerts', text: 'Alerts', icon: <AlertsIcon /> },
  { page: 'alertRules', to: '/alertRules', text: 'Alert rules', icon: <AlertRulesIcon /> },
  { page: 'alertChannels', to: '/alertChannels', text: 'Alert channels', icon: <AlertChannelsIcon /> },
  { page: 'auditEntries', to: '/auditEntries', text: 'Audit log', icon: <AuditIcon /> },
  { page: 'teams', to: '/teams', text: 'Teams', icon: <TeamsIcon /> },
  { page: 'users', to: '/users', text: 'Users', icon: <UsersIcon /> },
  { page: 'apiKeys', to: '/apiKeys', text: 'API keys', icon: <ApiKeysIcon /> },
];

/** Entries only for the roles that may use them (roleAccess.ts). */
export function WardenMenu() {
  const { permissions } = usePermissions<string>();
  return (
    <Menu>
      {entries
        .filter((entry) => mayOpen(permissions, entry.page))
        .map((entry) => (
          <Menu.Item key={entry.to} to={entry.to} primaryText={entry.text} leftIcon={entry.icon} />
        ))}
    </Menu>
  );
}
