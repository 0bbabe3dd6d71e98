import { Alert, AlertTitle, Button } from '@mui/material';
import { Link as RouterLink } from 'react-admin';

/** The Nodes create form, prefilled with the node's name through react-admin's `?source=` parameter. */
function nodeCreateLink(node: string): string {
  return `/nodes/create?source=${encodeURIComponent(JSON.stringify({ name: node }))}`;
}

export function UnregisteredNodesWarning({ nodes }: { nodes: readonly string[] }) {
  if (nodes.length === 0) return null;
  return (
    <Alert severity="warning" data-testid="unregistered-nodes">
      <AlertTitle>Nodes without a cost</AlertTitle>
      These nodes served tokens but are not registered, so their cost is unknown and left out:{' '}
      {nodes.map(node => (
        <Button key={node} size="small" component={RouterLink} to={nodeCreateLink(node)}>
          Register {node}
        </Button>
      ))}
    </Alert>
  );
}
