import { BooleanField, DataTable, DateField, FunctionField, List, SearchInput, SelectField, SelectInput } from 'react-admin';
import { compactDateTimeOptions } from '../../format';
import { alertKindChoices, type AlertRuleRecord } from './alertRuleRecord';

const filters = [<SearchInput key="q" source="q" alwaysOn />, <SelectInput key="kind" source="kind" choices={alertKindChoices} />];

const scopeOf = (rule: AlertRuleRecord) => [rule.team && `team ${rule.team}`, rule.node && `node ${rule.node}`].filter(Boolean).join(', ') || 'everything';

export function AlertRuleList() {
  return (
    <List title="Alert rules" filters={filters} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="edit" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" />
        <DataTable.Col source="kind">
          <SelectField source="kind" choices={alertKindChoices} />
        </DataTable.Col>
        <DataTable.Col label="Scope" disableSort>
          <FunctionField<AlertRuleRecord> render={scopeOf} />
        </DataTable.Col>
        <DataTable.Col label="Params" disableSort>
          <FunctionField<AlertRuleRecord> render={rule => Object.entries(rule.params).filter(([, value]) => value !== null).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('/') : String(value)}`).join(' ')} />
        </DataTable.Col>
        <DataTable.Col source="enabled">
          <BooleanField source="enabled" />
        </DataTable.Col>
        <DataTable.Col source="lastEvaluatedAt" label="Last evaluated">
          <DateField source="lastEvaluatedAt" options={compactDateTimeOptions} emptyText="never" />
        </DataTable.Col>
        <DataTable.Col source="lastError" label="Last error" disableSort />
      </DataTable>
    </List>
  );
}
