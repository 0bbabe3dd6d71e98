import { TabbedForm, TextInput, required } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { PolicyJsonEditor } from './PolicyJsonEditor';
import { PolicyPlayground } from './PolicyPlayground';
import { ModelInputs, PiiInputs, QuotaInputs, RetentionInputs, ScopeInput } from './PolicySectionInputs';
import { PolicyVersionHistory } from './PolicyVersionHistory';
import type { PolicyDocument } from './policyRecord';

function DraftPlayground() {
  const draft = useWatch({ name: 'document' }) as PolicyDocument;
  return <PolicyPlayground draft={draft} />;
}

/** One document, edited per section or as raw JSON (the same state); history and playground beside it. */
export function PolicyForm({ editing }: { editing: boolean }) {
  return (
    <TabbedForm>
      <TabbedForm.Tab label="Scope and models">
        <TextInput source="document.name" label="Name" validate={required()} readOnly={editing} helperText={editing ? 'The policy’s identity: save under another name to make a new policy' : 'letters, digits, . _ -'} />
        <ScopeInput />
        <ModelInputs />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Quotas">
        <QuotaInputs />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Retention">
        <RetentionInputs />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Personal data">
        <PiiInputs />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="JSON">
        <PolicyJsonEditor />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Playground">
        <DraftPlayground />
      </TabbedForm.Tab>
      {editing && (
        <TabbedForm.Tab label="History">
          <PolicyVersionHistory />
        </TabbedForm.Tab>
      )}
    </TabbedForm>
  );
}
