import { Button, Card, CardContent, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-admin';

export function EmptyOnPremCostState() {
  return (
    <Card data-testid="on-prem-cost-empty">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          No registered node reported or served tokens in this period
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Register each inference node with its hourly cost and energy price, run the GPU exporter on it, and send its
          request logs with <code>node</code> set to the node's name.
        </Typography>
        <Button variant="outlined" component={RouterLink} to="/nodes/create">
          Register a node
        </Button>
      </CardContent>
    </Card>
  );
}
