import { DataTable, DateField, List, NumberField, SearchInput, SelectField, SelectInput } from 'react-admin';
import { compactDateOptions } from '../../format';
import { NodeLabelsField } from './NodeLabelsField';
import { nodeKindChoices } from './nodeRecord';

const nodeFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="kind" source="kind" choices={nodeKindChoices} />,
];

const usd = { style: 'currency', currency: 'USD', maximumFractionDigits: 4 } as const;

export function NodeList() {
  return (
    <List title="Inference nodes" filters={nodeFilters} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="edit" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" />
        <DataTable.Col source="kind">
          <SelectField source="kind" choices={nodeKindChoices} />
        </DataTable.Col>
        <DataTable.Col source="labels" disableSort>
          <NodeLabelsField />
        </DataTable.Col>
        <DataTable.NumberCol source="hourlyCostUsd" label="Hourly cost" options={usd} />
        <DataTable.NumberCol source="energyPriceUsdPerKwh" label="Energy / kWh" options={usd} />
        <DataTable.Col source="powerOverheadFactor" label="PUE" align="right" disableSort>
          <NumberField source="powerOverheadFactor" />
        </DataTable.Col>
        <DataTable.Col source="updatedAt" label="Updated">
          <DateField source="updatedAt" options={compactDateOptions} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
