import AlertsIcon from '@mui/icons-material/NotificationImportant';
import type { ResourceProps } from 'react-admin';
import { AlertList } from './AlertList';

// Alert history (read-only): admin, SRE, finance and compliance read it; the server refuses viewers.
export const alerts: Omit<ResourceProps, 'name'> = {
  list: AlertList,
  icon: AlertsIcon,
  options: { label: 'Alerts' },
  recordRepresentation: 'ruleName',
};
