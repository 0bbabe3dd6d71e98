import { Typography } from '@mui/material';
import { AppBar, TitlePortal } from 'react-admin';

export function WardenAppBar() {
  return (
    <AppBar>
      <Typography variant="h6" component="span" sx={{ mr: 2, fontWeight: 600 }} data-testid="app-title">
        Warden
      </Typography>
      <TitlePortal variant="body1" />
    </AppBar>
  );
}
