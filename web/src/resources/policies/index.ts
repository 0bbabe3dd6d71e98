import PolicyIcon from '@mui/icons-material/Policy';
import type { ResourceProps } from 'react-admin';
import { PolicyCreate } from './PolicyCreate';
import { PolicyEdit } from './PolicyEdit';
import { PolicyList } from './PolicyList';
import { PolicyShow } from './PolicyShow';

export const policies: Omit<ResourceProps, 'name'> = {
  list: PolicyList,
  create: PolicyCreate,
  edit: PolicyEdit,
  show: PolicyShow,
  icon: PolicyIcon,
  options: { label: 'Policies' },
  recordRepresentation: 'name',
};
