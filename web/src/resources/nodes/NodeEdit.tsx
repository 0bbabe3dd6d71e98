import { Edit, useRecordContext } from 'react-admin';
import { NodeForm } from './NodeForm';
import type { NodeRecord } from './nodeRecord';

function NodeTitle() {
  const node = useRecordContext<NodeRecord>();
  return <span>Node {node?.name ?? ''}</span>;
}

export function NodeEdit() {
  return (
    <Edit title={<NodeTitle />} redirect="list" mutationMode="pessimistic">
      <NodeForm />
    </Edit>
  );
}
