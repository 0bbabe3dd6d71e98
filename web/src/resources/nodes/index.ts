import NodesIcon from '@mui/icons-material/Dns';
import type { ResourceProps } from 'react-admin';
import { NodeCreate } from './NodeCreate';
import { NodeEdit } from './NodeEdit';
import { NodeList } from './NodeList';

// Inference nodes and what they cost; anyone signed in reads them, only an admin writes (the server says so).
export const nodes: Omit<ResourceProps, 'name'> = {
  list: NodeList,
  create: NodeCreate,
  edit: NodeEdit,
  icon: NodesIcon,
  options: { label: 'Nodes' },
  recordRepresentation: 'name',
};
