import { Link } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import { gpuDetailLink } from './gpuDetailLink';

interface GpuLinkProps {
  node: string;
  gpuUuid: string;
  gpuIndex: number;
}

export function GpuLink({ node, gpuUuid, gpuIndex }: GpuLinkProps) {
  return (
    <Link component={RouterLink} to={gpuDetailLink(node, gpuUuid)}>
      {node} · GPU {gpuIndex}
    </Link>
  );
}
