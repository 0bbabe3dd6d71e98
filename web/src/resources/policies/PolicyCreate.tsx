import { Create } from 'react-admin';
import { PolicyForm } from './PolicyForm';
import { cleanDocument, emptyDocument, type PolicyDocument } from './policyRecord';

// createPolicy(document): the form's document, cleaned; the server validates it and names every bad field.
const toMutation = (data: Record<string, unknown>) => ({ document: cleanDocument(data.document as PolicyDocument) });

export function PolicyCreate() {
  return (
    <Create title="New policy" record={{ document: emptyDocument }} transform={toMutation} redirect="edit">
      <PolicyForm editing={false} />
    </Create>
  );
}
