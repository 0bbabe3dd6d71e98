import RequestsIcon from '@mui/icons-material/ListAlt';
import type { ResourceProps } from 'react-admin';
import { RequestList } from './RequestList';
import { RequestShow } from './RequestShow';

// Request logs are written by ingest only: the console lists and shows them.
export const requests: Omit<ResourceProps, 'name'> = {
  list: RequestList,
  show: RequestShow,
  icon: RequestsIcon,
  options: { label: 'Requests' },
  recordRepresentation: 'id',
};
