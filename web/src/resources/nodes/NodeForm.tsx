import { Alert } from '@mui/material';
import { ArrayInput, DateTimeInput, SelectInput, SimpleForm, SimpleFormIterator, TextInput, required } from 'react-admin';
import { decimalText } from '../../dataProvider/decimalValues';
import { localDateTimeToIso } from '../requests/requestFilters';
import { NodeRateHistory } from './NodeRateHistory';
import { nodeKindChoices } from './nodeRecord';

const money = decimalText(9);
const factor = decimalText(3);

// Rates are typed as text and sent as the typed digits (exact); the server checks their ranges and names the field.
export function NodeForm({ editing = false }: { editing?: boolean }) {
  return (
    <SimpleForm defaultValues={{ kind: 'vllm', hourlyCostUsd: '0', energyPriceUsdPerKwh: '0', powerOverheadFactor: '1', labels: [] }}>
      <TextInput
        source="name"
        validate={required()}
        helperText="The node's name in request logs and GPU samples (the exporter's --node-name, or the host name)"
      />
      <SelectInput source="kind" choices={nodeKindChoices} validate={required()} />
      {editing && (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="node-rates-explanation">
          New rates become a new version from the date below; the hours before it keep the rates they had.
        </Alert>
      )}
      <TextInput
        source="hourlyCostUsd"
        label="Hourly cost, USD"
        helperText="Amortised hardware, hosting and staff per hour, or the cloud instance's rate"
        validate={[required(), money]}
      />
      <TextInput
        source="energyPriceUsdPerKwh"
        label="Energy price, USD per kWh"
        helperText="0 when the hourly cost already includes power"
        validate={[required(), money]}
      />
      <TextInput
        source="powerOverheadFactor"
        label="Power overhead (PUE)"
        helperText="Facility power per GPU watt: cooling and the rest of the machine, 1 to 5"
        validate={[required(), factor]}
      />
      <DateTimeInput
        source="newRatesFrom"
        label="Rates effective from"
        parse={localDateTimeToIso}
        helperText={editing ? 'Empty: now' : 'Empty: now. An earlier date also costs the hours the node ran before it was registered'}
      />
      <ArrayInput source="labels">
        <SimpleFormIterator inline disableReordering>
          <TextInput source="key" validate={required()} helperText={false} />
          <TextInput source="value" validate={required()} helperText={false} />
        </SimpleFormIterator>
      </ArrayInput>
      <TextInput source="notes" multiline fullWidth />
      {/* Emptied, it is sent as null, which clears the owner. */}
      <TextInput source="ownerTeam" label="Owner team" helperText="The team that carries this node's idle GPU hours in chargeback; empty: they stay with the node" />
      {editing && <NodeRateHistory />}
    </SimpleForm>
  );
}

/** The form's date, sent as the mutation's ratesEffectiveFrom; the shown version's own date is not sent. */
export function withRatesEffectiveFrom({ newRatesFrom, ratesEffectiveFrom: _shown, ...node }: Record<string, unknown>): Record<string, unknown> {
  return { ...node, ratesEffectiveFrom: newRatesFrom ?? undefined };
}
