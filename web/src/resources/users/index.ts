import UsersIcon from '@mui/icons-material/People';
import type { ResourceProps } from 'react-admin';
import { UserCreate } from './UserCreate';
import { UserEdit } from './UserEdit';
import { UserList } from './UserList';

// Console users with one role and their teams; admins only (the server refuses the other roles).
export const users: Omit<ResourceProps, 'name'> = {
  list: UserList,
  create: UserCreate,
  edit: UserEdit,
  icon: UsersIcon,
  options: { label: 'Users' },
  recordRepresentation: 'email',
};
