import { gql } from '@apollo/client';
import { useRecordContext } from 'react-admin';
import { ConfirmMutationButton } from '../ConfirmMutationButton';

const revokeApiKeyMutation = gql`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt active }
  }
`;

interface ApiKeyRecord {
  id: string;
  name: string;
  revokedAt: string | null;
}

/** Revokes after a confirmation; the key is refused from that moment. */
export function RevokeApiKeyButton() {
  const key = useRecordContext<ApiKeyRecord>();
  if (!key || key.revokedAt) return null;
  return (
    <ConfirmMutationButton
      mutation={revokeApiKeyMutation}
      id={key.id}
      label="Revoke"
      testId="revoke-api-key"
      title={`Revoke "${key.name}"?`}
      content="Anything using this key is refused from now on. This cannot be undone."
      doneMessage={`Key "${key.name}" is revoked`}
    />
  );
}
