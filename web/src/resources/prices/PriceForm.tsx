import { DateTimeInput, SimpleForm, TextInput, required } from 'react-admin';
import { localDateTimeToIso } from '../requests/requestFilters';
import { PriceRateInputs } from './PriceRateInputs';

export function PriceForm() {
  return (
    <SimpleForm defaultValues={{ effectiveFrom: new Date().toISOString() }}>
      <TextInput
        source="modelPattern"
        label="Model pattern"
        helperText="A model name (gpt-4\.1: escape dots) or a regular expression over the whole name, e.g. gpt-4o(-\d{4}-\d{2}-\d{2})?. An exact name beats a pattern."
        validate={required()}
      />
      <TextInput source="provider" validate={required()} helperText="e.g. openai, azure, bedrock: an event of a provider is priced by its own prices first" />
      <PriceRateInputs />
      <DateTimeInput source="effectiveFrom" label="Effective from" parse={localDateTimeToIso} validate={required()} />
    </SimpleForm>
  );
}
