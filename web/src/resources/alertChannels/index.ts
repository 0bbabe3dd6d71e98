import AlertChannelsIcon from '@mui/icons-material/Campaign';
import type { ResourceProps } from 'react-admin';
import { AlertChannelCreate, AlertChannelEdit, AlertChannelList } from './AlertChannels';

// Where notifications go; admins only (a channel's URL is a credential).
export const alertChannels: Omit<ResourceProps, 'name'> = {
  list: AlertChannelList,
  create: AlertChannelCreate,
  edit: AlertChannelEdit,
  icon: AlertChannelsIcon,
  options: { label: 'Alert channels' },
  recordRepresentation: 'name',
};
