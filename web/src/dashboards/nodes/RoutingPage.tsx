import { Alert, Card, CardContent, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useMemo } from 'react';
import { Link, Title, useCreatePath, useGetList } from 'react-admin';
import type { NodeRecord } from '../../resources/nodes/nodeRecord';
import { modelRoutes, routable } from './modelRoutes';

const compactChip = { height: 20, fontSize: 11 };

function NodeChip({ node }: { node: NodeRecord }) {
  const createPath = useCreatePath();
  const usable = routable(node) && !node.agentSilent;
  return (
    <Link to={createPath({ resource: 'nodes', id: node.id, type: 'show' })} underline="none">
      <Chip
        label={`${node.name}${node.location ? ` · ${node.location}` : ''}`}
        size="small"
        color={usable ? 'default' : 'warning'}
        variant={usable ? 'filled' : 'outlined'}
        sx={{ ...compactChip, cursor: 'pointer' }}
        data-testid="routing-node"
        data-node={node.name}
      />
    </Link>
  );
}

/**
 * Routing per model: which nodes serve it (declared, discovered or reported by their agent), where they are, and
 * where sensitive traffic goes: a request that must stay on-premises (a keepOnPremises policy or a personal-data
 * finding) is routed only to on-premises nodes, so a model with none cannot serve it.
 */
export function RoutingPage() {
  const { data, isPending, error } = useGetList<NodeRecord>('nodes', { pagination: { page: 1, perPage: 1000 }, sort: { field: 'name', order: 'ASC' } });
  const routes = useMemo(() => modelRoutes(data ?? []), [data]);
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title="Routing" />
      <Typography variant="body2" color="text.secondary">
        Which nodes serve each model. Requests that must stay on-premises (policy keepOnPremises, or personal data found) go only to the
        on-premises nodes; the others follow the nodes&apos; preference order, skipping disabled, down or silent ones.
      </Typography>
      {isPending && <LinearProgress />}
      {error && <Alert severity="error">The node list could not be read: {error.message}</Alert>}
      {!isPending && !error && routes.length === 0 && (
        <Card data-testid="routing-empty">
          <CardContent>
            <Typography>No node serves a model yet: declare models on a node, or run warden-node-agent beside its engine.</Typography>
          </CardContent>
        </Card>
      )}
      {routes.length > 0 && (
        <Card>
          <Table size="small" data-testid="routing-table">
            <TableHead>
              <TableRow>
                <TableCell>Model</TableCell>
                <TableCell>Served by</TableCell>
                <TableCell>Sensitive traffic goes to</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {routes.map(route => (
                <TableRow key={route.model} data-testid="routing-row" data-model={route.model}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{route.model}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
                      {route.nodes.map(node => (
                        <NodeChip key={node.id} node={node} />
                      ))}
                    </Stack>
                  </TableCell>
                  <TableCell data-testid="routing-sensitive">
                    {route.sensitiveNodes.length > 0 ? (
                      <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
                        {route.sensitiveNodes.map(node => (
                          <NodeChip key={node.id} node={node} />
                        ))}
                      </Stack>
                    ) : (
                      <Typography variant="body2" color="warning.main">
                        no on-premises node: refused
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
