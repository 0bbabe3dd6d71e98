import { useMutation } from '@apollo/client';
import { Alert, Button, Card, CardContent, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Tooltip, Typography } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import { Title } from 'react-admin';
import { chargebackReportsQuery, createChargebackReportMutation, jobQuery } from '../../dataProvider/chargebackQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { formatUsd } from '../../format';
import { costTooltips } from '../costTooltips';
import { downloadReport } from './downloadReport';

const previousMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

/** Finance: the month's chargeback per team, generated in the background, downloaded as CSV or printable HTML. */
export function ChargebackPage() {
  const [month, setMonth] = useState(previousMonth());
  const [jobId, setJobId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const reports = useAnalyticsQuery(chargebackReportsQuery, useMemo(() => ({}), []));
  const [create, creating] = useMutation(createChargebackReportMutation);
  const job = useAnalyticsQuery(jobQuery, useMemo(() => ({ id: jobId ?? '' }), [jobId]), { skip: jobId === null, pollInterval: 500 });
  const state = job.data?.job?.state;
  useEffect(() => {
    if (state === 'completed' || state === 'failed') {
      job.stopPolling();
      if (state === 'failed') setFailure(job.data?.job?.error ?? 'The report failed');
      void reports.refetch();
    }
    // Only a change of state matters: the job and list objects change on every poll.
  }, [state]);

  const start = async () => {
    setFailure(null);
    try {
      const answer = await create({ variables: { month } });
      setJobId(answer.data?.createChargebackReport.id ?? null);
    } catch (error) {
      setFailure((error as Error).message);
    }
  };
  const save = (url: string, fileName: string, open: boolean) => {
    downloadReport(url, fileName, open).catch((error: unknown) => setFailure((error as Error).message));
  };
  const running = jobId !== null && state !== 'completed' && state !== 'failed';

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="chargeback">
      <Title title="Chargeback" />
      <Stack direction="row" spacing={2} alignItems="center">
        <TextField type="month" size="small" label="Month (UTC)" value={month} onChange={event => setMonth(event.target.value)} sx={{ width: 200 }} slotProps={{ inputLabel: { shrink: true } }} />
        <Button variant="contained" onClick={() => void start()} disabled={creating.loading || running || !/^\d{4}-\d{2}$/.test(month)} data-testid="create-chargeback">
          Create report
        </Button>
      </Stack>
      {running && (
        <Stack spacing={1} data-testid="chargeback-progress">
          <Typography variant="body2">Building the report for {month}… {Math.round(job.data?.job?.progress ?? 0)}%</Typography>
          <LinearProgress variant="determinate" value={job.data?.job?.progress ?? 0} />
        </Stack>
      )}
      {failure && <Alert severity="error">{failure}</Alert>}
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Reports
          </Typography>
          <Table size="small" data-testid="chargeback-reports">
            <TableHead>
              <TableRow>
                <TableCell>Month</TableCell>
                <TableCell>Requested by</TableCell>
                <TableCell>Created</TableCell>
                <Tooltip title={`${costTooltips.total} Per team: hosted APIs by provider and model, own GPUs by node, idle hours of owned nodes.`}>
                  <TableCell align="right">Total, all in</TableCell>
                </Tooltip>
                <TableCell>Download</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {(reports.data?.chargebackReports ?? []).map(report => (
                <TableRow key={report.id}>
                  <TableCell>{report.month}</TableCell>
                  <TableCell>{report.requestedBy}</TableCell>
                  <TableCell>{new Date(report.createdAt).toLocaleString()}</TableCell>
                  <TableCell align="right">{report.totalCostUsd === null ? 'in progress' : formatUsd(Number(report.totalCostUsd))}</TableCell>
                  <TableCell>
                    {report.completedAt && (
                      <Stack direction="row" spacing={1}>
                        <Button size="small" onClick={() => save(report.csvUrl, `chargeback-${report.month}.csv`, false)}>CSV</Button>
                        <Button size="small" onClick={() => save(report.htmlUrl, `chargeback-${report.month}.html`, true)}>Print</Button>
                      </Stack>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </Stack>
  );
}
