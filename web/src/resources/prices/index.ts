import PriceIcon from '@mui/icons-material/PriceChange';
import type { ResourceProps } from 'react-admin';
import { PriceCreate } from './PriceCreate';
import { PriceEdit } from './PriceEdit';
import { PriceList } from './PriceList';

export const prices: Omit<ResourceProps, 'name'> = {
  list: PriceList,
  create: PriceCreate,
  edit: PriceEdit,
  icon: PriceIcon,
  options: { label: 'Price catalog' },
  recordRepresentation: 'modelPattern',
};
