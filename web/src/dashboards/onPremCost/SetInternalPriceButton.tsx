import { useMutation } from '@apollo/client';
import { Button, Tooltip } from '@mui/material';
import { useNotify, usePermissions } from 'react-admin';
import { setInternalPriceMutation } from '../../dataProvider/chargebackQueries';

const priceSetters = new Set(['admin', 'finance']);

/**
 * Turns this row's measured cost per 1M tokens (over the period shown) into a catalog price of the model, effective
 * now, so budgets and quotas in USD count the model's requests as they happen.
 */
export function SetInternalPriceButton({ node, model, from, to }: { node: string; model: string; from: string; to: string }) {
  const { permissions } = usePermissions<string>();
  const notify = useNotify();
  const [setPrice, { loading }] = useMutation(setInternalPriceMutation);
  if (!priceSetters.has(permissions ?? '')) return null;
  const run = async () => {
    try {
      const answer = await setPrice({ variables: { node, model, from, to } });
      const price = answer.data?.setInternalPrice;
      notify(`Internal price of ${model}: $${price?.inputPerMillionUsd} in / $${price?.outputPerMillionUsd} out per 1M tokens, from now`, { type: 'success' });
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    }
  };
  return (
    <Tooltip title="Write this measured cost per 1M tokens to the price catalog (source measured, effective now), so budgets in USD count this model's requests at once.">
      <span>
        <Button size="small" disabled={loading} onClick={() => void run()} data-testid="set-internal-price">
          Set internal price
        </Button>
      </span>
    </Tooltip>
  );
}
