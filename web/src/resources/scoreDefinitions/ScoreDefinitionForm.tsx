import { FormDataConsumer, NumberInput, SelectInput, SimpleForm, TextArrayInput, TextInput, required, useRecordContext } from 'react-admin';
import { dataTypeChoices, directionChoices, type ScoreDefinitionRecord } from './scoreDefinitionRecord';

/** Only the fields that apply to the chosen type; the server checks the whole definition and names every problem. */
function TypeSpecificInputs({ dataType }: { dataType?: string }) {
  if (dataType === 'categorical') {
    return (
      <>
        <TextArrayInput source="labels" helperText="Every label a score may take, e.g. factual, hallucinated" />
        <TextArrayInput source="hallucinatedLabels" label="Hallucinated labels" helperText="The labels that mean hallucinated" />
      </>
    );
  }
  return (
    <>
      <SelectInput source="direction" choices={directionChoices} emptyText="Says nothing about hallucination" />
      {dataType === 'numeric' && (
        <>
          <NumberInput source="minimum" helperText="Smallest accepted value; empty: unbounded" />
          <NumberInput source="maximum" helperText="Largest accepted value; empty: unbounded" />
          <NumberInput source="threshold" helperText="The pass mark: a value exactly at it is not hallucinated" />
        </>
      )}
    </>
  );
}

export function ScoreDefinitionForm() {
  const record = useRecordContext<ScoreDefinitionRecord>();
  return (
    <SimpleForm defaultValues={{ dataType: 'numeric', labels: [], hallucinatedLabels: [] }}>
      <TextInput
        source="name"
        validate={required()}
        disabled={Boolean(record?.id)}
        helperText={record?.id ? 'Scores are stored under this name: it cannot change' : 'The name evaluators send, e.g. hhem-2.1'}
      />
      <TextInput source="description" multiline fullWidth />
      <SelectInput source="dataType" label="Type" choices={dataTypeChoices} validate={required()} />
      <FormDataConsumer<{ dataType?: string }>>{({ formData }) => <TypeSpecificInputs dataType={formData.dataType} />}</FormDataConsumer>
    </SimpleForm>
  );
}
