import { DateTimeInput, NullableBooleanInput, SearchInput, SelectInput, TextInput } from 'react-admin';

/** `datetime-local` values are local time; the API takes ISO-8601 instants. */
export function localDateTimeToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export const requestFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="team" source="team" />,
  <TextInput key="model" source="model" />,
  <TextInput key="provider" source="provider" />,
  <TextInput key="node" source="node" />,
  <SelectInput
    key="location"
    source="location"
    choices={[
      { id: 'on-premises', name: 'on-premises' },
      { id: 'external', name: 'external' },
    ]}
  />,
  <TextInput key="decisionId" source="decisionId" label="Decision" />,
  <SelectInput
    key="status"
    source="status"
    choices={[
      { id: 'ok', name: 'ok' },
      { id: 'error', name: 'error' },
    ]}
  />,
  <DateTimeInput key="from" source="timestamp_gte" label="From" parse={localDateTimeToIso} alwaysOn />,
  <DateTimeInput key="to" source="timestamp_lte" label="To" parse={localDateTimeToIso} alwaysOn />,
  <NullableBooleanInput key="priceKnown" source="priceKnown" label="Price known" />,
];
