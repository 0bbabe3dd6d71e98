import { DataTable, DateField, FunctionField, List, SearchInput, SelectField, SelectInput } from 'react-admin';
import { compactDateOptions } from '../../format';
import { dataTypeChoices, flagRule, originChoices, type ScoreDefinitionRecord } from './scoreDefinitionRecord';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="dataType" source="dataType" choices={dataTypeChoices} />,
  <SelectInput key="origin" source="origin" choices={originChoices} />,
];

const range = (record: ScoreDefinitionRecord) =>
  record.dataType !== 'numeric' ? (record.labels.length > 0 ? record.labels.join(', ') : '—') : `${record.minimum ?? '−∞'} … ${record.maximum ?? '∞'}`;

export function ScoreDefinitionList() {
  return (
    <List title="Score definitions" filters={filters} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="edit" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" />
        <DataTable.Col source="dataType" label="Type">
          <SelectField source="dataType" choices={dataTypeChoices} />
        </DataTable.Col>
        <DataTable.Col label="Range or labels" disableSort>
          <FunctionField<ScoreDefinitionRecord> render={range} />
        </DataTable.Col>
        <DataTable.Col label="Hallucinated flag" disableSort>
          <FunctionField<ScoreDefinitionRecord> render={flagRule} />
        </DataTable.Col>
        <DataTable.Col source="origin">
          <SelectField source="origin" choices={originChoices} />
        </DataTable.Col>
        <DataTable.Col source="updatedAt" label="Updated">
          <DateField source="updatedAt" options={compactDateOptions} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
