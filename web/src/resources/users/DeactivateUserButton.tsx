import { gql } from '@apollo/client';
import { useRecordContext } from 'react-admin';
import { ConfirmMutationButton } from '../ConfirmMutationButton';

const deactivateUserMutation = gql`
  mutation DeactivateUser($id: ID!) {
    deactivateUser(id: $id) { id active deactivatedAt }
  }
`;

interface UserRecord {
  id: string;
  email: string;
  active: boolean;
}

/** Deactivates after a confirmation: the user cannot sign in, and their open sessions end at once. */
export function DeactivateUserButton() {
  const user = useRecordContext<UserRecord>();
  if (!user || !user.active) return null;
  return (
    <ConfirmMutationButton
      mutation={deactivateUserMutation}
      id={user.id}
      label="Deactivate"
      testId="deactivate-user"
      title={`Deactivate ${user.email}?`}
      content="They will not be able to sign in, and every session of theirs ends now."
      doneMessage={`${user.email} is deactivated; their sessions have ended`}
    />
  );
}
