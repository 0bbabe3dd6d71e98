import { Create } from 'react-admin';
import { NodeForm, withRatesEffectiveFrom } from './NodeForm';

export function NodeCreate() {
  return (
    <Create title="New node" redirect="list" transform={withRatesEffectiveFrom}>
      <NodeForm />
    </Create>
  );
}
