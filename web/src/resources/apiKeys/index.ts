import KeyIcon from '@mui/icons-material/Key';
import type { ResourceProps } from 'react-admin';
import { ApiKeyCreate } from './ApiKeyCreate';
import { ApiKeyList } from './ApiKeyList';

// Scoped API keys; admins only (the server refuses the other roles). A key is never edited: revoke and create anew.
export const apiKeys: Omit<ResourceProps, 'name'> = {
  list: ApiKeyList,
  create: ApiKeyCreate,
  icon: KeyIcon,
  options: { label: 'API keys' },
  recordRepresentation: 'name',
};
