import { Edit, useRecordContext } from 'react-admin';
import { ScoreDefinitionForm } from './ScoreDefinitionForm';
import { withTypeFields, type ScoreDefinitionRecord } from './scoreDefinitionRecord';

function ScoreDefinitionTitle() {
  const definition = useRecordContext<ScoreDefinitionRecord>();
  return <span>Score definition {definition?.name ?? ''}</span>;
}

export function ScoreDefinitionEdit() {
  return (
    <Edit title={<ScoreDefinitionTitle />} redirect="list" mutationMode="pessimistic" transform={withTypeFields}>
      <ScoreDefinitionForm />
    </Edit>
  );
}
