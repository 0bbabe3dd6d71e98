import { DataTable, DateField, FunctionField, List, SearchInput, SelectField, SelectInput } from 'react-admin';
import { formatDecimalUsd } from '../../dataProvider/decimalValues';
import { compactDateOptions } from '../../format';
import { NodeLabelsField } from './NodeLabelsField';
import { nodeKindChoices, type NodeRecord } from './nodeRecord';

const nodeFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="kind" source="kind" choices={nodeKindChoices} />,
];

// Rates shown are the versions in force now, exactly; they live in their own history, so they do not sort.
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
        <DataTable.Col source="hourlyCostUsd" label="Hourly cost" align="right" disableSort>
          <FunctionField<NodeRecord> render={node => formatDecimalUsd(node.hourlyCostUsd)} />
        </DataTable.Col>
        <DataTable.Col source="energyPriceUsdPerKwh" label="Energy / kWh" align="right" disableSort>
          <FunctionField<NodeRecord> render={node => formatDecimalUsd(node.energyPriceUsdPerKwh)} />
        </DataTable.Col>
        <DataTable.Col source="powerOverheadFactor" label="PUE" align="right" disableSort>
          <FunctionField<NodeRecord> render={node => node.powerOverheadFactor} />
        </DataTable.Col>
        <DataTable.Col source="ratesEffectiveFrom" label="Rates from" disableSort>
          <DateField source="ratesEffectiveFrom" options={compactDateOptions} />
        </DataTable.Col>
        <DataTable.Col source="updatedAt" label="Updated">
          <DateField source="updatedAt" options={compactDateOptions} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
