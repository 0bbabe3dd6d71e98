import { Create } from 'react-admin';
import { NodeForm } from './NodeForm';

export function NodeCreate() {
  return (
    <Create title="New node" redirect="list">
      <NodeForm />
    </Create>
  );
}
