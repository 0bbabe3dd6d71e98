import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import {
  DataTable,
  DateField,
  DateTimeInput,
  FunctionField,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  TextInput,
  TopToolbar,
  ExportButton,
  FilterButton,
  useRecordContext,
} from 'react-admin';
import { EvaluateNowButton } from './EvaluateNowButton';
import { compactDateTimeOptions } from '../../format';
import { alertKindChoices } from '../alertRules/alertRuleRecord';

// An alert as the GraphQL `Alert` type returns it.
export interface AlertRecord {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: string;
  state: 'firing' | 'resolved';
  labels: Record<string, string>;
  value: number | null;
  threshold: number | null;
  summary: string;
  startedAt: string;
  resolvedAt: string | null;
  deliveries: Array<{ id: string; channelName: string | null; transition: string; status: string; attempts: number; lastError: string | null; deliveredAt: string | null; nextAttemptAt: string | null }>;
}

const stateChoices = [
  { id: 'firing', name: 'Firing' },
  { id: 'resolved', name: 'Resolved' },
];

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="state" source="state" choices={stateChoices} alwaysOn />,
  <SelectInput key="kind" source="kind" choices={alertKindChoices} />,
  <TextInput key="team" source="team" />,
  <TextInput key="node" source="node" />,
  <ReferenceInput key="ruleId" source="ruleId" reference="alertRules" sort={{ field: 'name', order: 'ASC' }}>
    <SelectInput label="Rule" optionText="name" />
  </ReferenceInput>,
  <DateTimeInput key="startedAt_gte" source="startedAt_gte" label="Started after" />,
  <DateTimeInput key="startedAt_lte" source="startedAt_lte" label="Started before" />,
];

export function AlertStateChip({ state }: { state: string }) {
  return <Chip size="small" label={state} color={state === 'firing' ? 'error' : 'success'} variant={state === 'firing' ? 'filled' : 'outlined'} data-testid={`alert-state-${state}`} />;
}

const deliveryColour: Record<string, 'success' | 'warning' | 'error'> = { delivered: 'success', pending: 'warning', failed: 'error' };

/** Each notification of the alert: channel, transition, how many attempts, and why the last one failed. */
function AlertDeliveries() {
  const alert = useRecordContext<AlertRecord>();
  if (!alert) return null;
  if (alert.deliveries.length === 0) return <Typography variant="body2">No channel was notified (the rule names none).</Typography>;
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>Channel</TableCell>
          <TableCell>Transition</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right">Attempts</TableCell>
          <TableCell>Last error</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {alert.deliveries.map(delivery => (
          <TableRow key={delivery.id}>
            <TableCell>{delivery.channelName ?? '(deleted channel)'}</TableCell>
            <TableCell>{delivery.transition}</TableCell>
            <TableCell>
              <Chip size="small" label={delivery.status} color={deliveryColour[delivery.status]} variant="outlined" />
            </TableCell>
            <TableCell align="right">{delivery.attempts}</TableCell>
            <TableCell>{delivery.lastError ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const labelsOf = (alert: AlertRecord) =>
  Object.entries(alert.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');

const formatNumber = (value: number | null) => (value === null ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(2));

function AlertListActions() {
  return (
    <TopToolbar>
      <EvaluateNowButton />
      <FilterButton />
      <ExportButton />
    </TopToolbar>
  );
}

/** Alert history, newest first: state chip, rule, what it is about, value against threshold, and its notifications. */
export function AlertList() {
  return (
    <List title="Alerts" filters={filters} sort={{ field: 'startedAt', order: 'DESC' }} perPage={25} actions={<AlertListActions />}>
      <DataTable expand={<AlertDeliveries />} bulkActionButtons={false} sx={{ '& td': { verticalAlign: 'top' } }}>
        <DataTable.Col source="state">
          <FunctionField<AlertRecord> render={alert => <AlertStateChip state={alert.state} />} />
        </DataTable.Col>
        <DataTable.Col source="ruleName" label="Rule" />
        <DataTable.Col source="kind">
          <FunctionField<AlertRecord> render={alert => alertKindChoices.find(choice => choice.id === alert.kind)?.name.split(' (')[0] ?? alert.kind} />
        </DataTable.Col>
        <DataTable.Col source="summary" disableSort />
        <DataTable.Col label="Labels" disableSort>
          <FunctionField<AlertRecord> render={labelsOf} />
        </DataTable.Col>
        <DataTable.Col source="value" label="Value / threshold" align="right">
          <FunctionField<AlertRecord> render={alert => `${formatNumber(alert.value)} / ${formatNumber(alert.threshold)}`} />
        </DataTable.Col>
        <DataTable.Col source="startedAt" label="Started">
          <DateField source="startedAt" options={compactDateTimeOptions} />
        </DataTable.Col>
        <DataTable.Col source="resolvedAt" label="Resolved">
          <DateField source="resolvedAt" options={compactDateTimeOptions} emptyText="—" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
