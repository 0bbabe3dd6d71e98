import { Create, Edit, useRecordContext } from 'react-admin';
import { AlertRuleForm } from './AlertRuleForm';
import { withKindFields, type AlertRuleRecord } from './alertRuleRecord';

export function AlertRuleCreate() {
  return (
    <Create title="New alert rule" redirect="list" transform={withKindFields}>
      <AlertRuleForm />
    </Create>
  );
}

function AlertRuleTitle() {
  const rule = useRecordContext<AlertRuleRecord>();
  return <span>Alert rule {rule?.name ?? ''}</span>;
}

export function AlertRuleEdit() {
  return (
    <Edit title={<AlertRuleTitle />} redirect="list" mutationMode="pessimistic" transform={withKindFields}>
      <AlertRuleForm />
    </Edit>
  );
}
