import { Create } from 'react-admin';
import { ScoreDefinitionForm } from './ScoreDefinitionForm';
import { withTypeFields } from './scoreDefinitionRecord';

export function ScoreDefinitionCreate() {
  return (
    <Create title="New score definition" redirect="list" transform={withTypeFields}>
      <ScoreDefinitionForm />
    </Create>
  );
}
