import PriceIcon from '@mui/icons-material/PriceChange';
import RequestsIcon from '@mui/icons-material/ListAlt';
import SpendIcon from '@mui/icons-material/Insights';
import { Menu } from 'react-admin';

export function WardenMenu() {
  return (
    <Menu>
      <Menu.Item to="/" primaryText="Spend" leftIcon={<SpendIcon />} />
      <Menu.Item to="/requests" primaryText="Requests" leftIcon={<RequestsIcon />} />
      <Menu.Item to="/prices" primaryText="Price catalog" leftIcon={<PriceIcon />} />
    </Menu>
  );
}
