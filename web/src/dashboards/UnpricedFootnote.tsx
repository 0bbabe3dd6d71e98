import { Typography } from '@mui/material';

export function UnpricedFootnote() {
  return (
    <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
      * some requests have no price: their cost is not counted.
    </Typography>
  );
}
