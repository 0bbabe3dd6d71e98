import TeamsIcon from '@mui/icons-material/Groups';
import type { ResourceProps } from 'react-admin';
import { TeamCreate } from './TeamCreate';
import { TeamEdit } from './TeamEdit';
import { TeamList } from './TeamList';

// Teams and the units above them; admins only (the server refuses the other roles).
export const teams: Omit<ResourceProps, 'name'> = {
  list: TeamList,
  create: TeamCreate,
  edit: TeamEdit,
  icon: TeamsIcon,
  options: { label: 'Teams' },
  recordRepresentation: 'name',
};
