import { TextInput, required } from 'react-admin';
import { decimalText } from '../../dataProvider/decimalValues';
import { PRICE_DECIMAL_PLACES } from './priceRecord';

const rate = decimalText(PRICE_DECIMAL_PLACES);

// Rates are typed as text and sent as the typed digits: a number input would pass them through a float.
export function PriceRateInputs() {
  return (
    <>
      <TextInput source="inputPerMillionUsd" label="Input, USD per 1M tokens" validate={[required(), rate]} />
      <TextInput source="outputPerMillionUsd" label="Output, USD per 1M tokens" validate={[required(), rate]} />
      <TextInput
        source="cachedInputPerMillionUsd"
        label="Cached input, USD per 1M tokens"
        helperText="Leave empty when the provider has no cached-input price"
        validate={rate}
      />
    </>
  );
}
