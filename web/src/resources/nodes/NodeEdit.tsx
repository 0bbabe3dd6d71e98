import { Edit, useRecordContext } from 'react-admin';
import { NodeForm, withRatesEffectiveFrom } from './NodeForm';
import type { NodeRecord } from './nodeRecord';

function NodeTitle() {
  const node = useRecordContext<NodeRecord>();
  return <span>Node {node?.name ?? ''}</span>;
}

export function NodeEdit() {
  return (
    <Edit title={<NodeTitle />} redirect="list" mutationMode="pessimistic" transform={withRatesEffectiveFrom}>
      <NodeForm editing />
    </Edit>
  );
}
