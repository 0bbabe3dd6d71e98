import { Edit, useRecordContext } from 'react-admin';
import { PriceForm } from './PriceForm';
import type { PriceRecord } from './priceRecord';

function PriceTitle() {
  const price = useRecordContext<PriceRecord>();
  return <span>Price {price ? `${price.provider} / ${price.modelPattern}` : ''}</span>;
}

export function PriceEdit() {
  return (
    <Edit title={<PriceTitle />} redirect="list" mutationMode="pessimistic">
      <PriceForm />
    </Edit>
  );
}
