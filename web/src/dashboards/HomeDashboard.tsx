import { Card, CardContent, Stack, Typography } from '@mui/material';
import { Link, Title, usePermissions } from 'react-admin';
import { mayOpen } from '../layout/roleAccess';
import { SpendDashboard } from './SpendDashboard';

/** The Spend dashboard for the roles that read spend; the others get a start page pointing at their own pages. */
export function HomeDashboard() {
  const { permissions, isPending } = usePermissions<string>();
  if (isPending) return null;
  if (mayOpen(permissions, 'spend')) return <SpendDashboard />;
  return (
    <Card sx={{ mt: 2 }} data-testid="home-for-role">
      <Title title="Warden" />
      <CardContent>
        <Stack spacing={1}>
          <Typography variant="h6">Welcome</Typography>
          <Typography variant="body2">Spend is for the admin, finance and viewer roles. Your role ({permissions}) opens:</Typography>
          {mayOpen(permissions, 'fleet') && <Link to="/fleet">GPU fleet</Link>}
          {mayOpen(permissions, 'requests') && <Link to="/requests">Requests</Link>}
          {mayOpen(permissions, 'policies') && <Link to="/policies">Policies</Link>}
          {mayOpen(permissions, 'evaluations') && <Link to="/evaluations">Evaluations</Link>}
        </Stack>
      </CardContent>
    </Card>
  );
}
