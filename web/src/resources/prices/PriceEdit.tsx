import { Alert } from '@mui/material';
import { DateTimeInput, Edit, SimpleForm, TextInput, useRecordContext } from 'react-admin';
import { localDateTimeToIso } from '../requests/requestFilters';
import { PriceRateInputs } from './PriceRateInputs';
import { PriceVersionHistory } from './PriceVersionHistory';
import type { PriceRecord } from './priceRecord';

function PriceTitle() {
  const price = useRecordContext<PriceRecord>();
  return <span>Price {price ? `${price.provider || 'any provider'} / ${price.modelPattern}` : ''}</span>;
}

// The edit never rewrites the version shown: new rates become a new version of the entry from the date chosen
// (empty: now), so events keep the price of their time. The record's own effectiveFrom is not sent.
function toNewVersion({ newVersionFrom, effectiveFrom: _shown, ...price }: Record<string, unknown>): Record<string, unknown> {
  return { ...price, effectiveFrom: newVersionFrom ?? undefined };
}

export function PriceEdit() {
  return (
    <Edit title={<PriceTitle />} redirect="list" mutationMode="pessimistic" transform={toNewVersion}>
      <SimpleForm>
        <Alert severity="info" sx={{ mb: 2 }} data-testid="price-edit-explanation">
          Saving new rates adds a version of this price from the date below. Versions already in force are never
          changed: every event keeps the price of its time.
        </Alert>
        <TextInput source="modelPattern" label="Model pattern" readOnly helperText="Names the price; for another pattern, create a new price" />
        <TextInput source="provider" readOnly />
        <PriceRateInputs />
        <DateTimeInput source="newVersionFrom" label="New rates effective from" parse={localDateTimeToIso} helperText="Empty: now" />
        <PriceVersionHistory />
      </SimpleForm>
    </Edit>
  );
}
