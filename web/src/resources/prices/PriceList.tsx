import { CreateButton, DataTable, DateField, ExportButton, List, NumberField, SearchInput, TextInput, TopToolbar } from 'react-admin';
import { compactDateOptions } from '../../format';
import { ImportCatalogButton } from './ImportCatalogButton';

const priceFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="provider" source="provider" />,
  <TextInput key="source" source="source" />,
];

const perMillion = { style: 'currency', currency: 'USD', maximumFractionDigits: 4 } as const;

function PriceListActions() {
  return (
    <TopToolbar>
      <CreateButton />
      <ImportCatalogButton />
      <ExportButton />
    </TopToolbar>
  );
}

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
        <DataTable.Col source="provider" />
        <DataTable.NumberCol source="inputPerMillionUsd" label="Input / 1M" options={perMillion} />
        <DataTable.NumberCol source="outputPerMillionUsd" label="Output / 1M" options={perMillion} />
        <DataTable.Col source="cachedInputPerMillionUsd" label="Cached input / 1M" align="right" disableSort>
          <NumberField source="cachedInputPerMillionUsd" options={perMillion} emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="effectiveFrom" label="Effective from">
          <DateField source="effectiveFrom" options={compactDateOptions} />
        </DataTable.Col>
        <DataTable.Col source="source" />
      </DataTable>
    </List>
  );
}
