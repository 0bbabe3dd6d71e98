import { DataTable, DateField, List, NumberField } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { requestExporter } from './requestExporter';
import { requestFilters } from './requestFilters';
import { CostField, DecisionField, NodeLinkField, StatusField } from './RequestFields';

// Content can be long and sensitive: the list and its CSV leave it out; the detail page shows it.
const listMeta = { omitFields: ['prompt', 'completion'] };

export function RequestList() {
  return (
    <List
      title="Requests"
      filters={requestFilters}
      sort={{ field: 'timestamp', order: 'DESC' }}
      perPage={25}
      exporter={requestExporter}
      queryOptions={{ meta: listMeta }}
      sx={{ '& .RaList-content': { overflowX: 'auto' } }}
    >
      <DataTable rowClick="show" bulkActionButtons={false} size="small" sx={{ '& td, & th': { whiteSpace: 'nowrap', px: 1, fontSize: 13 } }}>
        <DataTable.Col source="timestamp" label="Time">
          <DateField source="timestamp" showTime options={compactDateTimeOptions} />
        </DataTable.Col>
        <DataTable.Col source="status" disableSort>
          <StatusField />
        </DataTable.Col>
        <DataTable.Col source="team" disableSort />
        <DataTable.Col source="user" disableSort />
        <DataTable.Col source="model" disableSort />
        <DataTable.Col source="provider" disableSort />
        <DataTable.Col source="node" disableSort>
          <NodeLinkField />
        </DataTable.Col>
        <DataTable.Col source="location" disableSort />
        <DataTable.Col source="decisionId" label="Decision" disableSort>
          <DecisionField />
        </DataTable.Col>
        <DataTable.Col source="operation" disableSort />
        <DataTable.NumberCol source="inputTokens" label="Input" disableSort />
        <DataTable.NumberCol source="outputTokens" label="Output" disableSort />
        <DataTable.NumberCol source="cachedInputTokens" label="Cached" disableSort />
        <DataTable.Col source="costUsd" label="Cost" align="right">
          <CostField />
        </DataTable.Col>
        <DataTable.Col source="latencyMs" label="Latency" align="right">
          <NumberField source="latencyMs" options={{ style: 'unit', unit: 'millisecond', maximumFractionDigits: 0 }} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
