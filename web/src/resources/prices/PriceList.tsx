import { CreateButton, DataTable, DateField, ExportButton, FunctionField, List, SearchInput, TextInput, TopToolbar } from 'react-admin';
import { formatDecimalUsd } from '../../dataProvider/decimalValues';
import { compactDateOptions } from '../../format';
import { ImportCatalogButton } from './ImportCatalogButton';
import type { PriceRecord } from './priceRecord';

const priceFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="provider" source="provider" />,
  <TextInput key="source" source="source" />,
];

function PriceListActions() {
  return (
    <TopToolbar>
      <CreateButton />
      <ImportCatalogButton />
      <ExportButton />
    </TopToolbar>
  );
}

// Each row is one version of a price; editing one adds a version (see PriceEdit). Rates are shown exactly.
export function PriceList() {
  return (
    <List
      title="Price catalog"
      filters={priceFilters}
      actions={<PriceListActions />}
      sort={{ field: 'modelPattern', order: 'ASC' }}
      perPage={25}
    >
      <DataTable rowClick="edit" sx={{ '& th, & td:not(:nth-of-type(2))': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="modelPattern" label="Model pattern" />
        <DataTable.Col source="matchKind" label="Match" disableSort>
          <FunctionField<PriceRecord> render={price => (price.matchKind === 'EXACT' ? 'exact name' : 'pattern')} />
        </DataTable.Col>
        <DataTable.Col source="provider" />
        <DataTable.Col source="inputPerMillionUsd" label="Input / 1M" align="right">
          <FunctionField<PriceRecord> render={price => formatDecimalUsd(price.inputPerMillionUsd)} />
        </DataTable.Col>
        <DataTable.Col source="outputPerMillionUsd" label="Output / 1M" align="right">
          <FunctionField<PriceRecord> render={price => formatDecimalUsd(price.outputPerMillionUsd)} />
        </DataTable.Col>
        <DataTable.Col source="cachedInputPerMillionUsd" label="Cached input / 1M" align="right" disableSort>
          <FunctionField<PriceRecord> render={price => formatDecimalUsd(price.cachedInputPerMillionUsd)} />
        </DataTable.Col>
        <DataTable.Col source="effectiveFrom" label="Effective from">
          <DateField source="effectiveFrom" options={compactDateOptions} />
        </DataTable.Col>
        <DataTable.Col source="source" />
      </DataTable>
    </List>
  );
}
