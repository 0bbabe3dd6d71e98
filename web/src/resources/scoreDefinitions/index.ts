import ScoreDefinitionsIcon from '@mui/icons-material/Rule';
import type { ResourceProps } from 'react-admin';
import { ScoreDefinitionCreate } from './ScoreDefinitionCreate';
import { ScoreDefinitionEdit } from './ScoreDefinitionEdit';
import { ScoreDefinitionList } from './ScoreDefinitionList';

// What each score name means (type, range, direction, threshold); every role reads them, admins write (the server says so).
export const scoreDefinitions: Omit<ResourceProps, 'name'> = {
  list: ScoreDefinitionList,
  create: ScoreDefinitionCreate,
  edit: ScoreDefinitionEdit,
  icon: ScoreDefinitionsIcon,
  options: { label: 'Score definitions' },
  recordRepresentation: 'name',
};
