import { gql, useMutation, type TypedDocumentNode } from '@apollo/client';
import { Button, useNotify, usePermissions, useRefresh } from 'react-admin';

const evaluateMutation: TypedDocumentNode<{ evaluateAlertRules: { rules: number; fired: number; resolved: number; failedRules: number } }, Record<string, never>> = gql`
  mutation EvaluateAlertRules {
    evaluateAlertRules {
      rules
      fired
      resolved
      failedRules
    }
  }
`;

/** Admins: evaluate every rule now instead of at the next scheduled tick, then show the result. */
export function EvaluateNowButton() {
  const { permissions } = usePermissions<string>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [evaluate, { loading }] = useMutation(evaluateMutation);
  if (permissions !== 'admin') return null;
  const run = async () => {
    try {
      const { data } = await evaluate();
      const report = data?.evaluateAlertRules;
      if (report) {
        notify(`${report.rules} rule(s) evaluated: ${report.fired} fired, ${report.resolved} resolved${report.failedRules ? `, ${report.failedRules} could not be read` : ''}`, {
          type: report.failedRules ? 'warning' : 'info',
        });
      }
      refresh();
    } catch (error) {
      notify(`Evaluation failed: ${error instanceof Error ? error.message : String(error)}`, { type: 'error' });
    }
  };
  return <Button label="Evaluate now" onClick={() => void run()} disabled={loading} />;
}
