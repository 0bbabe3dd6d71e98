import { Alert, AlertTitle, Box, Typography } from '@mui/material';
import type { ImportPricesData, PriceReference, PriceShadowing } from './importPricesMutation';

const shownItems = 20;

const entryName = (reference: PriceReference) => `${reference.provider || 'any provider'} / ${reference.modelPattern} (${reference.source})`;

function shadowingText(finding: PriceShadowing): string {
  const others = finding.modelNames > 1 ? ` and ${finding.modelNames - 1} more` : '';
  const verb = finding.relation === 'SHADOWS' ? 'shadows' : 'is shadowed by';
  return `${entryName(finding.entry)} ${verb} ${entryName(finding.other)} for ${finding.modelName}${others}: ${finding.reason}`;
}

export function ImportResultSummary({ result }: { result: ImportPricesData['importPrices'] }) {
  const { imported, skipped, errors, shadowing, shadowingCount } = result;
  return (
    <Alert severity={errors.length > 0 || shadowingCount > 0 ? 'warning' : 'success'} data-testid="import-result">
      <AlertTitle>
        {imported} imported, {skipped} skipped, {errors.length} errors, {shadowingCount} shadowing
      </AlertTitle>
      {errors.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2, maxHeight: 200, overflowY: 'auto' }}>
          {errors.slice(0, shownItems).map((message, index) => (
            <li key={index}>{message}</li>
          ))}
          {errors.length > shownItems && <li>… and {errors.length - shownItems} more</li>}
        </Box>
      )}
      {shadowingCount > 0 && (
        <>
          <Typography variant="body2" sx={{ mt: 1 }}>
            Where imported prices and catalog prices compete for the same events (an exact name beats a pattern; then
            the later date wins):
          </Typography>
          <Box component="ul" sx={{ m: 0, pl: 2, maxHeight: 240, overflowY: 'auto' }} data-testid="import-shadowing">
            {shadowing.slice(0, shownItems).map((finding, index) => (
              <li key={index}>{shadowingText(finding)}</li>
            ))}
            {shadowingCount > shownItems && <li>… and {shadowingCount - shownItems} more</li>}
          </Box>
        </>
      )}
    </Alert>
  );
}
