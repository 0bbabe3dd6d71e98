import { Alert, AlertTitle, Box } from '@mui/material';
import type { ImportPricesData } from './importPricesMutation';

const shownErrors = 20;

export function ImportResultSummary({ result }: { result: ImportPricesData['importPrices'] }) {
  const { imported, skipped, errors } = result;
  return (
    <Alert severity={errors.length > 0 ? 'warning' : 'success'} data-testid="import-result">
      <AlertTitle>
        {imported} imported, {skipped} skipped, {errors.length} errors
      </AlertTitle>
      {errors.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2, maxHeight: 200, overflowY: 'auto' }}>
          {errors.slice(0, shownErrors).map((message, index) => (
            <li key={index}>{message}</li>
          ))}
          {errors.length > shownErrors && <li>… and {errors.length - shownErrors} more</li>}
        </Box>
      )}
    </Alert>
  );
}
