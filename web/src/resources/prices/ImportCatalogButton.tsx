import { useMutation } from '@apollo/client';
import UploadIcon from '@mui/icons-material/Upload';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { Button as ToolbarButton, useLogoutIfAccessDenied, useRefresh } from 'react-admin';
import { importPricesMutation } from './importPricesMutation';
import { localDateTimeToIso } from '../requests/requestFilters';
import { ImportResultSummary } from './ImportResultSummary';

// Uploads a LiteLLM or Langfuse price catalog (JSON) to the importPrices mutation; the server parses it.
export function ImportCatalogButton() {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [importPrices, { data, error, loading, reset }] = useMutation(importPricesMutation);

  const close = () => {
    setOpen(false);
    setFile(null);
    setEffectiveFrom('');
    reset();
  };

  const submit = async () => {
    if (!file) return;
    try {
      const content = await file.text();
      await importPrices({ variables: { content, effectiveFrom: localDateTimeToIso(effectiveFrom) } });
      refresh();
    } catch (failure) {
      void logoutIfAccessDenied(failure);
    }
  };

  return (
    <>
      <ToolbarButton label="Import catalog" onClick={() => setOpen(true)}>
        <UploadIcon />
      </ToolbarButton>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>Import a price catalog</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <Alert severity="info">
              A LiteLLM (model_prices_and_context_window.json), Langfuse or Warden price catalog (JSON). The result
              names the catalog prices the new ones shadow or are shadowed by.
            </Alert>
            <Button variant="outlined" component="label" sx={{ textTransform: 'none' }}>
              {file ? file.name : 'Choose a JSON file'}
              <input
                hidden
                type="file"
                accept="application/json,.json"
                data-testid="price-catalog-file"
                onChange={event => setFile(event.target.files?.[0] ?? null)}
              />
            </Button>
            <TextField
              type="datetime-local"
              label="Effective from (optional)"
              value={effectiveFrom}
              onChange={event => setEffectiveFrom(event.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
              helperText="Empty: now"
            />
            {error && <Alert severity="error">{error.message}</Alert>}
            {data && <ImportResultSummary result={data.importPrices} />}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{data ? 'Close' : 'Cancel'}</Button>
          <Button variant="contained" onClick={submit} disabled={!file || loading}>
            {loading ? 'Importing…' : 'Import'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
