import { DateTimeInput, NumberInput, SimpleForm, TextInput, minValue, required } from 'react-admin';
import { localDateTimeToIso } from '../requests/requestFilters';

const nonNegative = minValue(0);

export function PriceForm() {
  return (
    <SimpleForm defaultValues={{ effectiveFrom: new Date().toISOString() }}>
      <TextInput
        source="modelPattern"
        label="Model pattern"
        helperText="A regular expression matched against the whole model name, e.g. gpt-4o(-\d{4}-\d{2}-\d{2})?"
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
