import { Alert, AlertTitle, Button, List, ListItem, ListItemText } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import type { UnpricedModel } from '../dataProvider/analyticsQueries';
import { formatCount } from '../format';

// A model pattern is a regular expression over the whole model name: the name itself, escaped, matches only it.
function escapeRegularExpression(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Price catalog create form, prefilled through react-admin's `?source=` parameter. */
function priceCreateLink(model: UnpricedModel): string {
  const prefill = { modelPattern: escapeRegularExpression(model.model), provider: model.provider };
  return `/prices/create?source=${encodeURIComponent(JSON.stringify(prefill))}`;
}

export function UnpricedModelsWarning({ models }: { models: readonly UnpricedModel[] }) {
  if (models.length === 0) return null;
  return (
    <Alert severity="warning" data-testid="unpriced-models">
      <AlertTitle>Models without a price</AlertTitle>
      These requests are not counted in the cost until the catalog has a price for their model.
      <List dense disablePadding>
        {models.map(model => (
          <ListItem
            key={`${model.provider}/${model.model}`}
            disableGutters
            secondaryAction={
              <Button size="small" component={RouterLink} to={priceCreateLink(model)}>
                Add price
              </Button>
            }
          >
            <ListItemText
              primary={`${model.model} (${model.provider})`}
              secondary={`${formatCount(model.requests)} requests`}
            />
          </ListItem>
        ))}
      </List>
    </Alert>
  );
}
