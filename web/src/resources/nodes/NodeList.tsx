import DetailsIcon from '@mui/icons-material/QueryStats';
import { IconButton, Tooltip } from '@mui/material';
import {
  DataTable,
  DateField,
  FunctionField,
  List,
  SearchInput,
  SelectField,
  SelectInput,
  TextInput,
  useCreatePath,
  useNavigate,
  useRecordContext,
} from 'react-admin';
import { formatDecimalUsd } from '../../dataProvider/decimalValues';
import { compactDateOptions } from '../../format';
import { LastHeartbeatField, NodeModelsField, NodeStatusField } from './NodeAgentFields';
import { NodeLabelsField } from './NodeLabelsField';
import { nodeKindChoices, type NodeRecord } from './nodeRecord';
import { ErrorRateField, listStatsMinutes, NodeStatsProvider, RequestsPerMinuteField } from './nodeStatsContext';

const nodeFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="kind" source="kind" choices={nodeKindChoices} />,
  <TextInput key="name" source="name" />,
];

/** Opens the node's detail page (latency, TTFT, engine metrics); the row itself opens the edit form. */
function NodeDetailButton() {
  const node = useRecordContext<NodeRecord>();
  const navigate = useNavigate();
  const createPath = useCreatePath();
  if (!node) return null;
  return (
    <Tooltip title="Details: latency, TTFT, engine metrics">
      <IconButton
        size="small"
        aria-label={`Details of ${node.name}`}
        data-testid="node-detail-link"
        onClick={event => {
          event.stopPropagation();
          navigate(createPath({ resource: 'nodes', id: node.id, type: 'show' }));
        }}
      >
        <DetailsIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}

// Rates shown are the versions in force now, exactly; they live in their own history, so they do not sort.
// Requests per minute and error rate are over the last hour, from the request log.
export function NodeList() {
  return (
    <List title="Inference nodes" filters={nodeFilters} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <NodeStatsProvider>
        <DataTable rowClick="edit" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
          <DataTable.Col source="name" />
          <DataTable.Col source="kind">
            <SelectField source="kind" choices={nodeKindChoices} />
          </DataTable.Col>
          <DataTable.Col label="Status" disableSort>
            <NodeStatusField />
          </DataTable.Col>
          <DataTable.Col source="location" disableSort>
            <FunctionField<NodeRecord> render={node => node.location ?? '—'} />
          </DataTable.Col>
          <DataTable.Col label="Models" disableSort>
            <NodeModelsField />
          </DataTable.Col>
          <DataTable.Col source="lastHeartbeatAt" label="Last heartbeat" disableSort>
            <LastHeartbeatField />
          </DataTable.Col>
          <DataTable.Col label={`Req/min (${listStatsMinutes} min)`} align="right" disableSort>
            <RequestsPerMinuteField />
          </DataTable.Col>
          <DataTable.Col label="Error rate" align="right" disableSort>
            <ErrorRateField />
          </DataTable.Col>
          <DataTable.Col source="labels" disableSort>
            <NodeLabelsField />
          </DataTable.Col>
          <DataTable.Col source="hourlyCostUsd" label="Hourly cost" align="right" disableSort>
            <FunctionField<NodeRecord> render={node => formatDecimalUsd(node.hourlyCostUsd)} />
          </DataTable.Col>
          <DataTable.Col source="ratesEffectiveFrom" label="Rates from" disableSort>
            <DateField source="ratesEffectiveFrom" options={compactDateOptions} />
          </DataTable.Col>
          <DataTable.Col label="" disableSort>
            <NodeDetailButton />
          </DataTable.Col>
        </DataTable>
      </NodeStatsProvider>
    </List>
  );
}
