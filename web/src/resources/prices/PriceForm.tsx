import { DateTimeInput, NumberInput, SimpleForm, TextInput, minValue, required } from 'react-admin';
import { localDateTimeToIso } from '../requests/requestFilters';

const nonNegative = minValue(0);

export function PriceForm() {
  return (
    <SimpleForm defaultValues={{ effectiveFrom: new Date().toISOString() }}>
      <TextInput
        source="modelPattern"
        label="Model pattern"
        helperText="An exact model name, or a pattern such as gpt-4o*"
        validate={required()}
      />
      <TextInput source="provider" validate={required()} />
      <NumberInput source="inputPerMillionUsd" label="Input, USD per 1M tokens" validate={[required(), nonNegative]} />
      <NumberInput source="outputPerMillionUsd" label="Output, USD per 1M tokens" validate={[required(), nonNegative]} />
      <NumberInput
        source="cachedInputPerMillionUsd"
        label="Cached input, USD per 1M tokens"
        helperText="Leave empty when the provider has no cached-input price"
        validate={nonNegative}
      />
      <DateTimeInput source="effectiveFrom" label="Effective from" parse={localDateTimeToIso} validate={required()} />
    </SimpleForm>
  );
}
