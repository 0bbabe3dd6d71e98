import { ArrayInput, NumberInput, SelectInput, SimpleForm, SimpleFormIterator, TextInput, maxValue, minValue, required } from 'react-admin';
import { nodeKindChoices } from './nodeRecord';

const nonNegative = minValue(0);

export function NodeForm() {
  return (
    <SimpleForm defaultValues={{ kind: 'vllm', hourlyCostUsd: 0, energyPriceUsdPerKwh: 0, powerOverheadFactor: 1, labels: [] }}>
      <TextInput
        source="name"
        validate={required()}
        helperText="The node's name in request logs and GPU samples (the exporter's --node-name, or the host name)"
      />
      <SelectInput source="kind" choices={nodeKindChoices} validate={required()} />
      <NumberInput
        source="hourlyCostUsd"
        label="Hourly cost, USD"
        helperText="Amortised hardware, hosting and staff per hour, or the cloud instance's rate"
        validate={[required(), nonNegative]}
      />
      <NumberInput
        source="energyPriceUsdPerKwh"
        label="Energy price, USD per kWh"
        helperText="0 when the hourly cost already includes power"
        validate={[required(), nonNegative]}
      />
      <NumberInput
        source="powerOverheadFactor"
        label="Power overhead (PUE)"
        helperText="Facility power per GPU watt: cooling and the rest of the machine, 1 to 5"
        validate={[required(), minValue(1), maxValue(5)]}
      />
      <ArrayInput source="labels">
        <SimpleFormIterator inline disableReordering>
          <TextInput source="key" validate={required()} helperText={false} />
          <TextInput source="value" validate={required()} helperText={false} />
        </SimpleFormIterator>
      </ArrayInput>
      <TextInput source="notes" multiline fullWidth />
    </SimpleForm>
  );
}
