import { defaultExporter, type Exporter } from 'react-admin';
import type { RequestRecord } from './requestRecord';

// react-admin's CSV exporter, fed flat rows: metadata becomes one `key=value; …` column.
export const requestExporter: Exporter<RequestRecord> = (requests, fetchRelated, dataProvider, resource) =>
  defaultExporter(
    requests.map(({ metadata, ...request }) => ({
      ...request,
      metadata: (metadata ?? []).map(entry => `${entry.key}=${entry.value}`).join('; '),
    })),
    fetchRelated,
    dataProvider,
    resource,
  );
