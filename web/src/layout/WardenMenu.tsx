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
import { Menu, usePermissions } from 'react-admin';

/** Roles that may read policies (admins write them); the others do not see the entry. */
const policyReaders = new Set(['admin', 'compliance']);
/** Roles that look after the inference nodes: their list, detail and routing. */
const nodeReaders = new Set(['admin', 'sre']);
/** Roles that read alert history (each has alerts of its own: budgets, evaluations, GPUs, denials); admins manage rules and channels. */
const alertReaders = new Set(['admin', 'sre', 'finance', 'compliance']);
/** Roles that see the compliance dashboard and auditor exports. */
const complianceReaders = new Set(['admin', 'compliance']);
/** Roles that may read the audit log. */
const auditReaders = new Set(['admin', 'compliance']);
/** Budgets and chargeback are finance's (and admin's). */
const financeReaders = new Set(['admin', 'finance']);

export function WardenMenu() {
  const { permissions } = usePermissions<string>();
  return (
    <Menu>
      <Menu.Item to="/" primaryText="Spend" leftIcon={<SpendIcon />} />
      <Menu.Item to="/on-prem-cost" primaryText="On-prem vs API" leftIcon={<OnPremCostIcon />} />
      {financeReaders.has(permissions ?? '') && <Menu.Item to="/budgets" primaryText="Budgets" leftIcon={<BudgetsIcon />} />}
      {financeReaders.has(permissions ?? '') && <Menu.Item to="/chargeback" primaryText="Chargeback" leftIcon={<ChargebackIcon />} />}
      <Menu.Item to="/requests" primaryText="Requests" leftIcon={<RequestsIcon />} />
      <Menu.Item to="/evaluations" primaryText="Evaluations" leftIcon={<EvaluationsIcon />} />
      <Menu.Item to="/fleet" primaryText="GPU fleet" leftIcon={<FleetIcon />} />
      {nodeReaders.has(permissions ?? '') && <Menu.Item to="/nodes" primaryText="Nodes" leftIcon={<NodesIcon />} />}
      {nodeReaders.has(permissions ?? '') && <Menu.Item to="/routing" primaryText="Routing" leftIcon={<RoutingIcon />} />}
      <Menu.Item to="/prices" primaryText="Price catalog" leftIcon={<PriceIcon />} />
      {complianceReaders.has(permissions ?? '') && <Menu.Item to="/compliance" primaryText="Compliance" leftIcon={<ComplianceIcon />} />}
      {complianceReaders.has(permissions ?? '') && <Menu.Item to="/exports" primaryText="Exports" leftIcon={<ExportsIcon />} />}
      {policyReaders.has(permissions ?? '') && <Menu.Item to="/policies" primaryText="Policies" leftIcon={<PolicyIcon />} />}
      <Menu.Item to="/scoreDefinitions" primaryText="Score definitions" leftIcon={<ScoreDefinitionsIcon />} />
      {alertReaders.has(permissions ?? '') && <Menu.Item to="/alerts" primaryText="Alerts" leftIcon={<AlertsIcon />} />}
      {permissions === 'admin' && <Menu.Item to="/alertRules" primaryText="Alert rules" leftIcon={<AlertRulesIcon />} />}
      {permissions === 'admin' && <Menu.Item to="/alertChannels" primaryText="Alert channels" leftIcon={<AlertChannelsIcon />} />}
      {auditReaders.has(permissions ?? '') && <Menu.Item to="/auditEntries" primaryText="Audit log" leftIcon={<AuditIcon />} />}
    </Menu>
  );
}
