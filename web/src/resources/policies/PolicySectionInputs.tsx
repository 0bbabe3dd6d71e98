import { FormControlLabel, MenuItem, Stack, Switch, TextField as MuiTextField, Typography } from '@mui/material';
import { useFormContext, useWatch } from 'react-hook-form';
import { ArrayInput, BooleanInput, NumberInput, SelectInput, SimpleFormIterator, TextInput, required } from 'react-admin';
import { piiActions, piiDetectors, quotaMetrics, quotaPeriods, retentionFields, scopeKinds } from './policyRecord';

const choices = (values: readonly string[]) => values.map(value => ({ id: value, name: value }));

// Globs are edited as one line, comma separated; stored as a list.
const formatList = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
const parseList = (text: string) =>
  text
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);

/** `scope` holds exactly one of {org: true}, {team}, {key}, {node}: a kind and its subject. */
export function ScopeInput() {
  const { setValue } = useFormContext();
  const scope = (useWatch({ name: 'document.scope' }) ?? {}) as Record<string, string | boolean>;
  const kind = Object.keys(scope)[0] ?? 'team';
  const subject = kind === 'org' ? '' : String(scope[kind] ?? '');
  const change = (nextKind: string, nextSubject: string) =>
    setValue('document.scope', nextKind === 'org' ? { org: true } : { [nextKind]: nextSubject }, { shouldDirty: true });
  return (
    <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
      <MuiTextField select label="Scope" value={kind} onChange={event => change(event.target.value, subject)} sx={{ minWidth: 160 }} inputProps={{ 'data-testid': 'policy-scope-kind' }}>
        {scopeKinds.map(value => (
          <MenuItem key={value} value={value}>
            {value}
          </MenuItem>
        ))}
      </MuiTextField>
      {kind !== 'org' && (
        <MuiTextField
          label={kind === 'key' ? 'API key id' : `${kind} name`}
          value={subject}
          onChange={event => change(kind, event.target.value)}
          inputProps={{ 'data-testid': 'policy-scope-subject' }}
        />
      )}
    </Stack>
  );
}

/** A section the policy may leave out (then it inherits): a switch adds it with defaults or removes it. */
function SectionSwitch({ source, label, initial }: { source: string; label: string; initial: unknown }) {
  const { setValue } = useFormContext();
  const value = useWatch({ name: source }) as unknown;
  return (
    <FormControlLabel
      control={<Switch checked={value !== undefined && value !== null} onChange={event => setValue(source, event.target.checked ? initial : undefined, { shouldDirty: true })} />}
      label={label}
    />
  );
}

export function ModelInputs() {
  const models = useWatch({ name: 'document.models' }) as unknown;
  return (
    <>
      <SectionSwitch source="document.models" label="This policy sets which models may be used" initial={{ allowAll: false, allow: [], deny: [] }} />
      {models !== undefined && models !== null && (
        <>
          <BooleanInput source="document.models.allowAll" label="Allow every model (except those denied)" />
          <TextInput source="document.models.allow" label="Allow (globs, comma separated)" format={formatList} parse={parseList} fullWidth helperText='e.g. gpt-4o-mini, llama-3.*  — empty with "allow every model" off: nothing is allowed' />
          <TextInput source="document.models.deny" label="Deny (globs; deny wins)" format={formatList} parse={parseList} fullWidth helperText="e.g. *-preview" />
        </>
      )}
    </>
  );
}

export function QuotaInputs() {
  return (
    <ArrayInput source="document.quotas" label="Quotas (every quota of every applicable policy must have room)">
      <SimpleFormIterator inline disableReordering>
        <TextInput source="name" validate={required()} helperText={false} />
        <SelectInput source="metric" choices={choices(quotaMetrics)} validate={required()} helperText={false} />
        <TextInput source="limit" helperText="exact: 500.00 USD, 1000 tokens" validate={required()} />
        <SelectInput source="period" choices={choices(quotaPeriods)} validate={required()} helperText={false} />
        <TextInput source="timeZone" label="Time zone" defaultValue="UTC" helperText="IANA, e.g. Asia/Shanghai" />
        <SelectInput source="enforcement" choices={choices(['hard', 'soft'])} defaultValue="hard" helperText={false} />
        <TextInput source="models" label="Models (globs)" format={formatList} parse={parseList} helperText="empty: every model" />
      </SimpleFormIterator>
    </ArrayInput>
  );
}

export function RetentionInputs() {
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Days to keep each kind of data; empty inherits from a less specific policy. Requests are never kept less than the retention floor.
      </Typography>
      <Stack direction="row" spacing={2} flexWrap="wrap">
        {retentionFields.map(field => (
          <NumberInput key={field} source={`document.retention.${field}`} label={field} min={1} step={1} />
        ))}
      </Stack>
    </>
  );
}

export function PiiInputs() {
  const pii = useWatch({ name: 'document.pii' }) as unknown;
  return (
    <>
      <SectionSwitch source="document.pii" label="This policy sets how personal data is handled" initial={{ detectors: {}, keepOnPremises: false }} />
      {pii !== undefined && pii !== null && (
        <>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            The strictest action of every applicable policy wins (block &gt; mask &gt; hash &gt; allow); a detector left empty does not run.
          </Typography>
          <Stack direction="row" spacing={2} flexWrap="wrap">
            {piiDetectors.map(detector => (
              <SelectInput key={detector} source={`document.pii.detectors.${detector}`} label={detector} choices={choices(piiActions)} emptyText="(not run)" sx={{ minWidth: 170 }} />
            ))}
          </Stack>
          <BooleanInput source="document.pii.keepOnPremises" label="Keep personal data on premises (only on-premises nodes may receive it)" />
        </>
      )}
    </>
  );
}
