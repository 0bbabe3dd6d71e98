import AlertRulesIcon from '@mui/icons-material/NotificationsActive';
import type { ResourceProps } from 'react-admin';
import { AlertRuleCreate, AlertRuleEdit } from './AlertRuleEditors';
import { AlertRuleList } from './AlertRuleList';

// Alert rules: admins write them (the server refuses anyone else), the roles that read alerts may list them.
export const alertRules: Omit<ResourceProps, 'name'> = {
  list: AlertRuleList,
  create: AlertRuleCreate,
  edit: AlertRuleEdit,
  icon: AlertRulesIcon,
  options: { label: 'Alert rules' },
  recordRepresentation: 'name',
};
