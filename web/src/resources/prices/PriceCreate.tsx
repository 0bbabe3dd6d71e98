import { Create } from 'react-admin';
import { PriceForm } from './PriceForm';

export function PriceCreate() {
  return (
    <Create title="New price" redirect="list">
      <PriceForm />
    </Create>
  );
}
