import { Button, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { localDate, presetPeriods, type Period, type PeriodName, type PresetPeriod } from './period';

interface PeriodPickerProps {
  period: Period;
  onChange: (name: PeriodName, from?: string, to?: string) => void;
  presets?: readonly PresetPeriod[];
}

export function PeriodPicker({ period, onChange, presets = presetPeriods }: PeriodPickerProps) {
  const [customFrom, setCustomFrom] = useState(localDate(period.from));
  const [customTo, setCustomTo] = useState(localDate(period.to));
  const [choice, setChoice] = useState<PeriodName>(period.name);
  const customIsValid = customFrom !== '' && customTo !== '' && customFrom <= customTo;

  const choose = (name: PeriodName) => {
    setChoice(name);
    if (name !== 'custom') onChange(name);
  };

  return (
    <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
      <TextField
        select
        size="small"
        label="Period"
        value={choice}
        onChange={event => choose(event.target.value as PeriodName)}
        sx={{ width: 200 }}
        slotProps={{ htmlInput: { 'data-testid': 'period-picker' } }}
      >
        {presets.map(preset => (
          <MenuItem key={preset.name} value={preset.name}>
            {preset.label}
          </MenuItem>
        ))}
        <MenuItem value="custom">Custom range</MenuItem>
      </TextField>
      {choice === 'custom' && (
        <>
          <TextField
            type="date"
            size="small"
            label="From"
            sx={{ width: 180 }}
            value={customFrom}
            onChange={event => setCustomFrom(event.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            type="date"
            size="small"
            label="To"
            sx={{ width: 180 }}
            value={customTo}
            onChange={event => setCustomTo(event.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <Button variant="outlined" disabled={!customIsValid} onClick={() => onChange('custom', customFrom, customTo)}>
            Apply
          </Button>
        </>
      )}
    </Stack>
  );
}
