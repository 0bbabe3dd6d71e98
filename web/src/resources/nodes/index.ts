import NodesIcon from '@mui/icons-material/Dns';
import type { ResourceProps } from 'react-admin';
import { NodeCreate } from './NodeCreate';
import { NodeEdit } from './NodeEdit';
import { NodeList } from './NodeList';
import { NodeShow } from './NodeShow';

// Inference nodes, what they cost, serve and report; the SRE and the admin read them (menu), only an admin writes.
export const nodes: Omit<ResourceProps, 'name'> = {
  list: NodeList,
  create: NodeCreate,
  edit: NodeEdit,
  show: NodeShow,
  icon: NodesIcon,
  options: { label: 'Nodes' },
  recordRepresentation: 'name',
};
