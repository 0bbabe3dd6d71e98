import { Card, CardContent, Grid, Tooltip, Typography } from '@mui/material';
import type { ComponentProps } from 'react';

export interface TotalCardProps {
  label: string;
  value: string;
  detail?: string;
  /** On the value, for tests. */
  testId?: string;
  /** What the figure contains, on hover. */
  tooltip?: string;
}

function TotalCard({ label, value, detail, testId, tooltip }: TotalCardProps) {
  const card = (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" component="div" data-testid={testId}>
          {value}
        </Typography>
        {detail && (
          <Typography variant="caption" color="text.secondary">
            {detail}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
  return tooltip ? (
    <Tooltip title={tooltip} placement="top">
      {card}
    </Tooltip>
  ) : (
    card
  );
}

interface TotalCardsProps {
  cards: TotalCardProps[];
  /** Each card's width per breakpoint. */
  size: ComponentProps<typeof Grid>['size'];
  testId?: string;
}

/** A dashboard's headline figures: one card each (label, figure, an optional line under it), in a row that wraps. */
export function TotalCards({ cards, size, testId }: TotalCardsProps) {
  return (
    <Grid container spacing={2} data-testid={testId}>
      {cards.map(card => (
        <Grid key={card.testId ?? card.label} size={size}>
          <TotalCard {...card} />
        </Grid>
      ))}
    </Grid>
  );
}
