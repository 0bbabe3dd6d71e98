import AuditIcon from '@mui/icons-material/History';
import type { ResourceProps } from 'react-admin';
import { AuditEntryList } from './AuditEntryList';
import { AuditEntryShow } from './AuditEntryShow';

// Read-only by design: no create, edit or delete view (the server has none either).
export const auditEntries: Omit<ResourceProps, 'name'> = {
  list: AuditEntryList,
  show: AuditEntryShow,
  icon: AuditIcon,
  options: { label: 'Audit log' },
  recordRepresentation: 'action',
};
